import { canonicalArtifactPath } from '../artifacts';
import { KeyValue, MODEL_STAGES, ModelStage } from '../entities';
import { MlflowError } from '../errors';
import { FilterClause } from '../search/search-types';
import { LIMITS } from './limits';
import { lengthError, validateKey } from './validation';

/** Stages `archive_existing_versions` may target (MLflow `DEFAULT_STAGES_FOR_GET_LATEST_VERSIONS`). */
export const ACTIVE_STAGES: readonly ModelStage[] = ['Staging', 'Production'];

/** The registered-model tag that marks a prompt (MLflow ≥2.21); prompts are hidden from searches. */
export const PROMPT_TAG_KEY = 'mlflow.prompt.is_prompt';

/**
 * The `source` MLflow clients send for a prompt version, which has no files. It is the one source
 * a prompt may use without validation; any other source of a prompt is validated like every
 * source, since a tag must never switch a security check off (CVE-2026-2614).
 */
export const PROMPT_PLACEHOLDER_SOURCE = 'dummy-source';

/** MLflow's `get_canonical_stage`: case-insensitive in, canonical spelling out. */
export function canonicalStage(stage: string): ModelStage {
  const match = MODEL_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!match) {
    throw MlflowError.invalidParameterValue(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(', ')}.`,
    );
  }
  return match;
}

/**
 * `archive_existing_versions` only makes sense for Staging and Production. MLflow answers a plain
 * MlflowException (INTERNAL_ERROR, 500), which the client retries for minutes; the same message as
 * INVALID_PARAMETER_VALUE (400) is deterministic.
 */
export function validateArchiveTarget(
  requested: string,
  stage: ModelStage,
  archive: boolean,
): void {
  if (archive && !ACTIVE_STAGES.includes(stage)) {
    throw MlflowError.invalidParameterValue(
      `Model version transition cannot archive existing model versions because '${requested}' is not an Active stage. Valid stages are [${ACTIVE_STAGES.map((s) => `'${s}'`).join(', ')}]`,
    );
  }
}

/** Largest version number a version column can hold. */
const MAX_VERSION = 2_147_483_647;

/**
 * A model version as sent on the wire (a string), as MLflow's `_validate_model_version` reads it:
 * anything Python's `int()` accepts. Numbers no version can have (negative, too large) come back
 * as null: they name nothing, so lookups answer RESOURCE_DOES_NOT_EXIST.
 */
export function parseModelVersion(version: string): number | null {
  const trimmed = version.trim();
  if (!/^[+-]?\d+$/.test(trimmed)) {
    throw MlflowError.invalidParameterValue(`Model version must be an integer, got '${version}'`);
  }
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_VERSION ? value : null;
}

export function validateRegisteredModelName(name: string): void {
  if (name.length > LIMITS.maxRegisteredModelNameLength) {
    throw lengthError('name', name.length, LIMITS.maxRegisteredModelNameLength);
  }
}

/**
 * Descriptions, run links and tag values live in TEXT columns: at most 65,535 bytes of UTF-8 on
 * MySQL. Checked on every backend, so an over-long value is the same 400 everywhere instead of a
 * database error.
 */
export const MAX_REGISTRY_TEXT_BYTES = 65_535;
const utf8Encoder = new TextEncoder();

export function validateRegistryText(label: string, value: string): void {
  // A UTF-16 code unit never takes more than 3 bytes of UTF-8.
  if (value.length * 3 <= MAX_REGISTRY_TEXT_BYTES) return;
  const bytes = utf8Encoder.encode(value).length;
  if (bytes > MAX_REGISTRY_TEXT_BYTES) {
    throw MlflowError.invalidParameterValue(
      `'${label}' exceeds the maximum size of ${MAX_REGISTRY_TEXT_BYTES} bytes (got ${bytes}).`,
    );
  }
}

/**
 * Registry tag rules: MLflow's tag-key rules, values up to 100,000 characters (MLflow's limit) and
 * 65,535 bytes (the column's).
 */
export function validateRegistryTag(tag: KeyValue): void {
  validateKey('tag', tag.key);
  if (tag.value.length > LIMITS.maxRegistryTagValueLength) {
    throw lengthError('Tag value', tag.value.length, LIMITS.maxRegistryTagValueLength);
  }
  validateRegistryText('Tag value', tag.value);
}

const ALIAS_PATTERN = /^[\w-]*$/;
const VERSION_ALIAS_PATTERN = /^v\d+$/i;

/** MLflow's `_validate_model_alias_name`: `[\w-]`, at most 255 characters. */
export function validateAliasName(alias: string): void {
  if (!ALIAS_PATTERN.test(alias)) {
    throw MlflowError.invalidParameterValue(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  if (alias.length > LIMITS.maxAliasLength) {
    throw lengthError('Registered model alias name', alias.length, LIMITS.maxAliasLength);
  }
}

/** `latest` (any case) and `v<digits>` (either case) cannot be set: clients resolve them themselves. */
export function validateAliasNotReserved(alias: string): void {
  if (alias.toLowerCase() === 'latest') {
    throw MlflowError.invalidParameterValue("'latest' alias name (case insensitive) is reserved.");
  }
  if (VERSION_ALIAS_PATTERN.test(alias)) {
    throw MlflowError.invalidParameterValue(`Version alias name '${alias}' is reserved.`);
  }
}

export function isLatestAlias(alias: string): boolean {
  return alias.toLowerCase() === 'latest';
}

/** How a model version source is stored and resolved. */
export type ModelSourceKind =
  /** No scheme, a drive letter or `file:`: only valid inside a local run artifact root. */
  | 'local'
  /** `runs:/<run_id>/<path>`: resolved through the run's artifact root. */
  | 'runs'
  /** `models:/<model_id>`, `models:/<name>/<version|stage|latest>`, `models:/<name>@<alias>`. */
  | 'models'
  /** Our artifact store: must lie under an existing run's or logged model's root. */
  | 'mlflow-artifacts'
  /** An object store or web location from the allow-list. */
  | 'remote';

/** A source decoded, split and checked by {@link parseModelSource}. */
export interface ModelSource {
  kind: ModelSourceKind;
  /** Lower-cased scheme; `file` for every local source. */
  scheme: string;
  /** `host[:port]` of `scheme://host/...`, lower-cased; '' when absent (or `localhost` for file:). */
  authority: string;
  /** Canonical relative path: no leading, trailing or repeated `/`, no `.` or `..` segments. */
  path: string;
  /** Local sources only: whether the path was absolute. */
  absolute: boolean;
}

/** Schemes a source may use besides the local, `runs`, `models` and `mlflow-artifacts` ones. */
export const REMOTE_SOURCE_SCHEMES: readonly string[] = [
  's3',
  's3a',
  's3n',
  'gs',
  'wasb',
  'wasbs',
  'abfs',
  'abfss',
  'adl',
  'oss',
  'hdfs',
  'viewfs',
  'dbfs',
  'http',
  'https',
  'ftp',
  'sftp',
];

export const MAX_SOURCE_LENGTH = 4096;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s;
// Control characters, backslashes (a separator on Windows), fragments, queries and `;params`:
// none belongs in a model location, and each has been used to smuggle `..` past a validator.
const FORBIDDEN = /[\p{Cc}\\#?;]/u;
const AUTHORITY = /^[A-Za-z0-9._~\-:@[\]]*$/;
const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function invalidRelativeSourceError(source: string): MlflowError {
  return MlflowError.invalidParameterValue(
    `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
  );
}

export function invalidLocalSourceError(source: string): MlflowError {
  return MlflowError.invalidParameterValue(
    `Invalid model version source: '${source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
  );
}

/** One round of `%xx` decoding; byte runs that are not UTF-8 (overlong `%c0%ae`) are refused. */
function decodeOnce(value: string): string | null {
  let failed = false;
  const decoded = value.replace(PERCENT_RUN, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16));
    try {
      return utf8.decode(bytes);
    } catch {
      failed = true;
      return run;
    }
  });
  return failed ? null : decoded;
}

function decodeUntilStable(raw: string): string | null {
  let current = raw;
  for (let round = 0; round < LIMITS.maxPercentDecodeRounds; round++) {
    const next = decodeOnce(current);
    if (next === null) return null;
    if (next === current) return current;
    current = next;
  }
  return null;
}

/**
 * Parses and checks a model version `source` (contract §4.9 and security catalogue C), the way
 * MLflow's `_validate_non_local_source_contains_relative_paths` does but stricter: the value is
 * percent-decoded until stable, then refused (INVALID_PARAMETER_VALUE, MLflow's message) when it
 * contains a control character, a backslash, `#`, `?`, `;`, a `..` or `.` segment, a non-ASCII
 * dot or slash look-alike, invalid UTF-8, or an odd authority; a scheme outside the allow-list is
 * refused too. The checks run on the decoded value, so callers must resolve locations from the
 * returned parts, never from the raw string.
 */
export function parseModelSource(raw: string): ModelSource {
  if (raw.length > MAX_SOURCE_LENGTH) {
    throw MlflowError.invalidParameterValue(
      `Invalid model version source: it is longer than ${MAX_SOURCE_LENGTH} characters.`,
    );
  }
  const decoded = decodeUntilStable(raw);
  if (decoded === null || FORBIDDEN.test(decoded)) throw invalidRelativeSourceError(raw);

  const match = SCHEME.exec(decoded);
  if (!match || match[1].length === 1) {
    return { kind: 'local', scheme: 'file', authority: '', ...localPath(raw, decoded) };
  }
  const scheme = match[1].toLowerCase();
  let rest = match[2];
  let authority = '';
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    authority = (end < 0 ? rest.slice(2) : rest.slice(2, end)).toLowerCase();
    rest = end < 0 ? '' : rest.slice(end);
    if (!AUTHORITY.test(authority) || authority.includes('..')) {
      throw invalidRelativeSourceError(raw);
    }
  }
  if (scheme === 'file') {
    if (authority !== '' && authority !== 'localhost') throw invalidLocalSourceError(raw);
    return { kind: 'local', scheme, authority: '', ...localPath(raw, rest) };
  }
  const kind: ModelSourceKind | undefined =
    scheme === 'runs' || scheme === 'models' || scheme === 'mlflow-artifacts'
      ? scheme
      : REMOTE_SOURCE_SCHEMES.includes(scheme)
        ? 'remote'
        : undefined;
  if (!kind) {
    throw MlflowError.invalidParameterValue(
      `Invalid model version source: '${raw}'. Unsupported URI scheme '${scheme}'; use one of ${['runs', 'models', 'mlflow-artifacts', ...REMOTE_SOURCE_SCHEMES].join(', ')}.`,
    );
  }
  if ((kind === 'runs' || kind === 'models') && authority !== '') {
    throw invalidRelativeSourceError(raw);
  }
  return { kind, scheme, authority, path: canonicalPath(raw, rest), absolute: true };
}

function localPath(raw: string, path: string): { path: string; absolute: boolean } {
  return { path: canonicalPath(raw, path), absolute: path.startsWith('/') };
}

/** MLflow collapses repeated `/` and strips the trailing one; anything else must already be canonical. */
function canonicalPath(raw: string, path: string): string {
  const collapsed = path.replace(/\/+/g, '/').replace(/^\//, '').replace(/\/$/, '');
  let canonical: string;
  try {
    canonical = canonicalArtifactPath(collapsed);
  } catch {
    throw invalidRelativeSourceError(raw);
  }
  if (canonical !== collapsed) throw invalidRelativeSourceError(raw);
  return canonical;
}

/** Parses a trusted location (a run's artifact URI, a logged model's artifact location). */
export function tryParseLocation(location: string): ModelSource | null {
  try {
    return parseModelSource(location);
  } catch {
    return null;
  }
}

/**
 * Whether `location` is `root` or lies below it: same scheme and authority, and the root's path
 * segments are a prefix of the location's. Relative local paths lie nowhere.
 */
export function isWithinLocation(location: ModelSource, root: ModelSource): boolean {
  if (location.scheme !== root.scheme || location.authority !== root.authority) return false;
  if (location.kind === 'local' && (!location.absolute || !root.absolute)) return false;
  if (root.path === '') return true;
  return location.path === root.path || location.path.startsWith(`${root.path}/`);
}

/** `<root>/<relative>` for an artifact URI and a canonical relative path. */
export function joinLocation(root: string, relative: string): string {
  if (relative === '') return root;
  return `${root.replace(/\/+$/, '')}/${relative}`;
}

/** What a `models:/` source names. */
export type ModelsUriTarget =
  | { kind: 'logged-model'; modelId: string; subpath: string }
  | { kind: 'version'; name: string; version: string }
  | { kind: 'alias'; name: string; alias: string };

/**
 * Splits the path of a `models:/` source like MLflow's `_parse_model_uri`: `<model_id>[/<path>]`
 * for a logged model id (`m-` + 32 hex), `<name>@<alias>`, or `<name>/<version|stage|latest>`.
 */
export function parseModelsUri(raw: string, path: string): ModelsUriTarget {
  const segments = path === '' ? [] : path.split('/');
  if (segments.length > 0 && LOGGED_MODEL_ID.test(segments[0])) {
    return { kind: 'logged-model', modelId: segments[0], subpath: segments.slice(1).join('/') };
  }
  if (segments.length === 1) {
    const at = segments[0].indexOf('@');
    if (at > 0 && at < segments[0].length - 1) {
      return { kind: 'alias', name: segments[0].slice(0, at), alias: segments[0].slice(at + 1) };
    }
    return { kind: 'logged-model', modelId: segments[0], subpath: '' };
  }
  if (segments.length === 2) return { kind: 'version', name: segments[0], version: segments[1] };
  throw MlflowError.invalidParameterValue(
    `Invalid model version source: '${raw}'. A models:/ source must be models:/<model_id>, models:/<name>/<version, stage or 'latest'> or models:/<name>@<alias>.`,
  );
}

const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;

export function registeredModelNotFound(name: string): MlflowError {
  return MlflowError.resourceDoesNotExist(`Registered Model with name=${name} not found`);
}

export function modelVersionNotFound(name: string, version: number | string): MlflowError {
  return MlflowError.resourceDoesNotExist(
    `Model Version (name=${name}, version=${version}) not found`,
  );
}

export function registeredModelAlreadyExists(name: string): MlflowError {
  return MlflowError.resourceAlreadyExists(`Registered Model (name=${name}) already exists.`);
}

export function aliasNotFound(alias: string): MlflowError {
  return MlflowError.invalidParameterValue(`Registered model alias ${alias} not found.`);
}

/** The number of version `version` of model `name`; a number no version can have is not found. */
export function requireModelVersionNumber(name: string, version: string): number {
  const number = parseModelVersion(version);
  if (number === null) throw modelVersionNotFound(name, version);
  return number;
}

/**
 * MLflow's prompt scoping of registry searches (`_is_querying_prompt`): prompts are returned only
 * when the first clause on the prompt tag asks for them (`= 'true'` or `!= 'false'`, any case);
 * otherwise prompts are excluded and clauses on the prompt tag are dropped, so
 * `tags.\`mlflow.prompt.is_prompt\` = 'false'` means "every model that is not a prompt".
 */
export function scopePrompts(filter: FilterClause[]): {
  filter: FilterClause[];
  includePrompts: boolean;
} {
  const isPromptClause = (c: FilterClause) => c.type === 'tag' && c.key === PROMPT_TAG_KEY;
  const first = filter.find(isPromptClause);
  const value = typeof first?.value === 'string' ? first.value.toLowerCase() : undefined;
  const asksForPrompts =
    (first?.comparator === '=' && value === 'true') ||
    (first?.comparator === '!=' && value === 'false');
  if (asksForPrompts) return { filter, includePrompts: true };
  return { filter: filter.filter((c) => !isPromptClause(c)), includePrompts: false };
}

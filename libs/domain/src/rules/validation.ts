import { KeyValue } from '../entities';
import { MlflowError } from '../errors';
import { LIMITS } from './limits';
import { pythonRepr } from './python-repr';

// Python's `\w` is Unicode-aware; MLflow (non-Windows) also allows ':'.
const KEY_PATTERN = /^[/\p{L}\p{N}_.\- :]*$/u;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[0-9]{1,18}$/;

export type EntityKind = 'metric' | 'param' | 'tag';

const LENGTH_LABEL: Record<EntityKind, string> = {
  metric: 'Metric name',
  param: 'Param key',
  tag: 'Tag key',
};

const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).';

/** True if `text` holds only characters MLflow allows in keys (e.g. a key prefix). */
export function hasOnlyKeyCharacters(text: string): boolean {
  return KEY_PATTERN.test(text);
}

/**
 * MLflow's key rules (`_validate_metric_name` and friends, 2.17 wording): `[/\w.\- :]`, at most 250
 * characters, and unchanged by POSIX path normalisation (no `//`, leading or trailing `/`, `.` or
 * `..` segments). `path` names the request field in the message: `name` for a logged metric,
 * `key` for params and tags, `metrics[3].name` / `params[0].key` inside a log-batch.
 */
export function validateKey(
  kind: EntityKind,
  key: string,
  path = kind === 'metric' ? 'name' : 'key',
): void {
  if (!KEY_PATTERN.test(key)) {
    throw MlflowError.invalidParameterValue(invalidValueMessage(path, key, BAD_CHARACTERS));
  }
  const normalized = posixNormpath(key);
  if (
    normalized !== key ||
    normalized === '.' ||
    normalized.startsWith('..') ||
    normalized.startsWith('/')
  ) {
    throw MlflowError.invalidParameterValue(
      invalidValueMessage(
        path,
        key,
        `Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to ${pythonRepr(normalized)}`,
      ),
    );
  }
  if (key.length > LIMITS.maxEntityKeyLength) {
    throw lengthError(LENGTH_LABEL[kind], key.length, LIMITS.maxEntityKeyLength);
  }
}

/** MLflow's `invalid_value(path, value, message)`. */
function invalidValueMessage(path: string, value: string, message: string): string {
  return `Invalid value ${JSON.stringify(value)} for parameter '${path}' supplied: ${message}`;
}

/** Python's `posixpath.normpath`. */
function posixNormpath(path: string): string {
  if (path === '') return '.';
  const leadingSlashes =
    path.startsWith('//') && !path.startsWith('///') ? 2 : path.startsWith('/') ? 1 : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (leadingSlashes === 0 && parts.length === 0) || parts.at(-1) === '..') {
      parts.push(part);
    } else if (parts.length > 0) {
      parts.pop();
    }
  }
  return '/'.repeat(leadingSlashes) + parts.join('/') || '.';
}

export function lengthError(label: string, length: number, limit: number): MlflowError {
  return MlflowError.invalidParameterValue(
    `'${label}' exceeds the maximum length of ${limit} characters (got ${length}).`,
  );
}

/**
 * Long values are cut to `limit` when truncation is on (MLflow's default,
 * MLFLOW_TRUNCATE_LONG_VALUES), refused otherwise.
 */
export function fitValue(label: string, value: string, limit: number, truncate: boolean): string {
  if (value.length <= limit) return value;
  if (truncate) return value.slice(0, limit);
  throw lengthError(label, value.length, limit);
}

export function validateRunId(runId: string, parameter = 'run_id'): void {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw MlflowError.invalidParameterValue(
      `Invalid value "${runId}" for parameter '${parameter}' supplied.`,
    );
  }
}

/** True if the id can name an experiment at all; other ids simply do not exist. */
export function isWellFormedExperimentId(experimentId: string): boolean {
  return EXPERIMENT_ID_PATTERN.test(experimentId);
}

export function validateExperimentName(name: string): void {
  if (name.length > LIMITS.maxExperimentNameLength) {
    throw lengthError('name', name.length, LIMITS.maxExperimentNameLength);
  }
}

export function validateExperimentTag(tag: KeyValue): void {
  validateKey('tag', tag.key);
  if (tag.value.length > LIMITS.maxExperimentTagValueLength) {
    throw lengthError('Tag value', tag.value.length, LIMITS.maxExperimentTagValueLength);
  }
}

/** Within one request the last value for a key wins (MLflow R3). */
export function lastValuePerKey<T extends { key: string }>(items: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    byKey.delete(item.key);
    byKey.set(item.key, item);
  }
  return [...byKey.values()];
}

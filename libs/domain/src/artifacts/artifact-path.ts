import { posix } from 'node:path';

import { MlflowError } from '../errors';
import { LIMITS } from '../rules/limits';

const MAX_PATH_BYTES = 1024;
const MAX_SEGMENTS = 64;
/** Anything longer cannot decode to a path within MAX_PATH_BYTES, so skip the work. */
const MAX_RAW_LENGTH = 16 * 1024;

// Cc (C0, DEL, C1), line/paragraph separators, bidi overrides/isolates (they spoof displayed
// names), and lone surrogates (they are not valid UTF-8 on the wire or on disk).
const FORBIDDEN_CHARS = /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069#;?\\]|\p{Cs}/u;

// Non-ASCII characters that render as, or are normalised (NFKC) by some layer into, a dot or a
// slash. Checked explicitly because NFKC does not cover them all (U+2215, U+2044, U+3002...).
const LOOKALIKES = new Set([
  '\u2024', // ONE DOT LEADER
  '\u2025', // TWO DOT LEADER
  '\u2026', // HORIZONTAL ELLIPSIS
  '\u0338', // COMBINING LONG SOLIDUS OVERLAY
  '\u2044', // FRACTION SLASH
  '\u2215', // DIVISION SLASH
  '\u2216', // SET MINUS
  '\u2571', // BOX DRAWINGS LIGHT DIAGONAL
  '\u29F5', // REVERSE SOLIDUS OPERATOR
  '\u29F8', // BIG SOLIDUS
  '\u29F9', // BIG REVERSE SOLIDUS
  '\u3002', // IDEOGRAPHIC FULL STOP
  '\uFE52', // SMALL FULL STOP
  '\uFE68', // SMALL REVERSE SOLIDUS
  '\uFF0E', // FULLWIDTH FULL STOP
  '\uFF0F', // FULLWIDTH SOLIDUS
  '\uFF3C', // FULLWIDTH REVERSE SOLIDUS
  '\uFF61', // HALFWIDTH IDEOGRAPHIC FULL STOP
]);
const NFKC_DANGEROUS = /[./\\:#;?%\p{Cc}]/u;

const PERCENT_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

function invalidPath(): MlflowError {
  return MlflowError.invalidParameterValue('Invalid path');
}

/**
 * One round of percent-decoding. Like Python's `unquote`, a `%` not followed by two hex digits
 * stays literal (`100%.txt` is a valid name). Unlike it, byte runs that are not valid UTF-8
 * (overlong `%c0%ae`, lone continuation bytes) are rejected rather than replaced by U+FFFD.
 */
function decodeOnce(value: string): string {
  return value.replace(PERCENT_RUN, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16));
    try {
      return utf8.decode(bytes);
    } catch {
      throw invalidPath();
    }
  });
}

function decodeUntilStable(raw: string): string {
  let current = raw;
  for (let round = 0; round < LIMITS.maxPercentDecodeRounds; round++) {
    const next = decodeOnce(current);
    if (next === current) return current;
    current = next;
  }
  throw invalidPath();
}

function hasLookalike(value: string): boolean {
  for (const ch of value) {
    if (ch.charCodeAt(0) < 0x80) continue;
    if (LOOKALIKES.has(ch) || NFKC_DANGEROUS.test(ch.normalize('NFKC'))) return true;
  }
  return false;
}

/**
 * Validates an artifact path from a client and returns its canonical form: a relative POSIX path
 * without empty or `.` segments, NFC-normalised, `''` for the root. This is the equivalent of
 * MLflow's `validate_path_is_safe`, but stricter (see the bad-input catalogue in
 * `security-reliability-performance.md` §1.3 A). Callers must use the returned value, never the
 * raw input (mlflow PR #10666).
 *
 * Throws INVALID_PARAMETER_VALUE "Invalid path" when the value, percent-decoded until stable
 * (at most 10 rounds), contains a control character, `#`, `;`, `?`, a backslash, a `..`
 * segment, a non-ASCII dot/slash look-alike or invalid UTF-8; is absolute (`/x`, `//x`), has a
 * drive letter (`C:`) or a URI scheme (`file:`, `ftp://`); or exceeds 1024 UTF-8 bytes or
 * 64 segments.
 */
export function canonicalArtifactPath(raw: string): string {
  if (typeof raw !== 'string' || raw.length > MAX_RAW_LENGTH) throw invalidPath();
  const decoded = decodeUntilStable(raw).normalize('NFC');

  if (FORBIDDEN_CHARS.test(decoded) || hasLookalike(decoded)) throw invalidPath();
  if (decoded.startsWith('/')) throw invalidPath();
  if (/^[A-Za-z]:/.test(decoded) || /^file:/i.test(decoded)) throw invalidPath();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(decoded)) throw invalidPath();
  if (utf8Encoder.encode(decoded).length > MAX_PATH_BYTES) throw invalidPath();

  const segments: string[] = [];
  for (const segment of decoded.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw invalidPath();
    segments.push(segment);
  }
  if (segments.length > MAX_SEGMENTS) throw invalidPath();
  return segments.join('/');
}

/**
 * Joins a canonical relative path (see {@link canonicalArtifactPath}) under a POSIX root and
 * re-checks that the result stays inside it. Adapters call this for every path they touch, so a
 * path that skipped validation still cannot escape. Throws INVALID_PARAMETER_VALUE
 * "Invalid path" when `relative` is not canonical or the join leaves `root`.
 */
export function joinUnderRoot(root: string, relative: string): string {
  if (canonicalArtifactPath(relative) !== relative) throw invalidPath();
  const base = posix.normalize(root).replace(/(.)\/+$/, '$1');
  const joined = posix.join(base, relative);
  const prefix = base.endsWith('/') ? base : `${base}/`;
  if (joined !== base && !joined.startsWith(prefix)) throw invalidPath();
  return joined;
}

/** MLflow's run ids: what a path segment must look like to name a run. */
const RUN_ID_SEGMENT = /^[0-9a-f]{32}$/;
const EXPERIMENT_ID_SEGMENT = /^(0|[1-9]\d{0,18})$/;

/**
 * What an artifact path belongs to, from MLflow's destination layout: a run's, a logged
 * model's or a trace's directory, or a free path (any other relative path, which MLflow's proxy
 * serves too: `a.txt`, `dir/MLmodel`, the root).
 */
export type ArtifactPathScope =
  | EntityArtifactScope<'run', 'runId'>
  | EntityArtifactScope<'logged-model', 'modelId'>
  | EntityArtifactScope<'trace', 'traceId'>
  | { kind: 'free'; path: string };

type EntityArtifactScope<K extends string, IdField extends string> = {
  kind: K;
  /** The whole path, canonical. */
  path: string;
  experimentId: string;
  /** The canonical path below the entity's `artifacts` directory ('' for that directory). */
  rest: string;
} & Record<IdField, string>;

/**
 * Splits an artifact path into the entity it belongs to and the remainder below that entity's
 * `artifacts/` directory. A path names an entity by its shape alone, before anything is looked
 * up: `<experiment_id>/<32 hex run id>[/artifacts/...]`, `<experiment_id>/models/<id>[/artifacts/...]`
 * (MLflow 3 logged models) and `<experiment_id>/traces/<id>[/artifacts/...]` (trace data); such a
 * path with anything but `artifacts` below the entity is INVALID_PARAMETER_VALUE "Invalid path".
 * Every other canonical path, the root included, is free. The path is canonicalised first.
 */
export function artifactPathScope(path: string): ArtifactPathScope {
  const canonical = canonicalArtifactPath(path);
  const segments = canonical === '' ? [] : canonical.split('/');
  const [experimentId, second, third] = segments;
  if (
    experimentId === undefined ||
    second === undefined ||
    !EXPERIMENT_ID_SEGMENT.test(experimentId)
  ) {
    return { kind: 'free', path: canonical };
  }
  let scope: ArtifactPathScope;
  let tail: string[];
  if ((second === 'models' || second === 'traces') && third !== undefined) {
    scope =
      second === 'models'
        ? { kind: 'logged-model', path: canonical, experimentId, modelId: third, rest: '' }
        : { kind: 'trace', path: canonical, experimentId, traceId: third, rest: '' };
    tail = segments.slice(3);
  } else if (RUN_ID_SEGMENT.test(second)) {
    scope = { kind: 'run', path: canonical, experimentId, runId: second, rest: '' };
    tail = segments.slice(2);
  } else {
    return { kind: 'free', path: canonical };
  }
  if (tail.length === 0) return scope;
  if (tail[0] !== 'artifacts') throw invalidPath();
  return { ...scope, rest: tail.slice(1).join('/') };
}

/**
 * A free path that holds runs', logged models' or traces' directories: the root, `<experiment>`,
 * `<experiment>/models`, `<experiment>/traces`. Deleting one would remove every entity's files
 * below it without asking any of them, so the proxy refuses that (MLflow would not).
 */
export function holdsEntityDirectories(scope: ArtifactPathScope): boolean {
  if (scope.kind !== 'free') return false;
  const [experimentId, second, ...rest] = scope.path === '' ? [] : scope.path.split('/');
  if (experimentId === undefined) return true;
  if (!EXPERIMENT_ID_SEGMENT.test(experimentId) || rest.length > 0) return false;
  return second === undefined || second === 'models' || second === 'traces';
}

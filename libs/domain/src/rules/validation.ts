import { MlflowError } from '../errors';
import { KeyValue } from '../entities';
import { LIMITS } from './limits';

const KEY_PATTERN = /^[/\w.\- ]*$/;
const RUN_ID_PATTERN = /^[a-zA-Z0-9][\w-]{0,255}$/;
const EXPERIMENT_ID_PATTERN = /^[0-9]{1,18}$/;

export type EntityKind = 'metric' | 'param' | 'tag';

const KIND_LABEL: Record<EntityKind, string> = { metric: 'metric', param: 'param', tag: 'tag' };

/**
 * MLflow's key rules (`_validate_metric_name` and friends): non-empty, `[/\w.\- ]`, at most 250
 * characters, and unchanged by POSIX path normalisation (no `//`, leading or trailing `/`, `.` or
 * `..` segments).
 */
export function validateKey(kind: EntityKind, key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw MlflowError.invalidParameterValue(
      `Invalid ${KIND_LABEL[kind]} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).`,
    );
  }
  if (!isPathUnique(key)) {
    throw MlflowError.invalidParameterValue(
      `Invalid ${KIND_LABEL[kind]} name: '${key}'. Names cannot contain path navigation segments or resolve to another path.`,
    );
  }
  if (key.length > LIMITS.maxEntityKeyLength) {
    throw lengthError(`${capitalize(kind)} key`, key.length, LIMITS.maxEntityKeyLength);
  }
}

function isPathUnique(key: string): boolean {
  if (key === '') return true;
  const segments = key.split('/');
  if (key.startsWith('/') || key.endsWith('/')) return false;
  return segments.every((s) => s !== '' && s !== '.' && s !== '..');
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

function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

import { KeyValue } from '../entities';
import { MlflowError } from '../errors';

/**
 * FLOps' rule: nothing belonging to an individual learner is logged, only what the aggregator
 * computed. Keys under these prefixes name a learner (`client.3/loss`, `site/berlin/accuracy`)
 * and are refused; the deployment can change the list (LEARNER_KEY_PREFIXES).
 */
export const DEFAULT_LEARNER_KEY_PREFIXES: readonly string[] = [
  'learner.',
  'learner/',
  'client.',
  'client/',
  'site.',
  'site/',
];

/** MLflow's own system tags, never refused whatever the prefixes are. */
const SYSTEM_TAG_PREFIX = 'mlflow.';

/** Every key one write request would store, by what the key names. */
export interface KeyedWrite {
  metrics?: readonly { key: string }[];
  params?: readonly KeyValue[];
  tags?: readonly KeyValue[];
  /** Tags of logged dataset inputs (e.g. mlflow.data.context). */
  inputTags?: readonly KeyValue[];
}

export type LearnerKeyKind = 'metric' | 'param' | 'tag' | 'input tag';

/** A key refused by the rule, and the configured prefix it falls under. */
export interface LearnerKeyRefusal {
  kind: LearnerKeyKind;
  key: string;
  prefix: string;
}

const KIND_LABEL: Record<LearnerKeyKind, string> = {
  metric: 'Metric key',
  param: 'Param key',
  tag: 'Tag key',
  'input tag': 'Dataset input tag key',
};

/**
 * The configured prefix `key` falls under, if any. The match ignores case, so `Client.3/loss`
 * is refused as `client.3/loss` is; `mlflow.*` keys are never matched.
 */
export function learnerPrefixOf(prefixes: readonly string[], key: string): string | undefined {
  const lower = key.toLowerCase();
  if (lower.startsWith(SYSTEM_TAG_PREFIX)) return undefined;
  return prefixes.find((prefix) => prefix !== '' && lower.startsWith(prefix.toLowerCase()));
}

/** The first key of the write that the rule refuses (metrics, then params, tags, input tags). */
function findLearnerKey(
  prefixes: readonly string[],
  write: KeyedWrite,
): LearnerKeyRefusal | undefined {
  if (prefixes.length === 0) return undefined;
  const entries: [LearnerKeyKind, readonly { key: string }[] | undefined][] = [
    ['metric', write.metrics],
    ['param', write.params],
    ['tag', write.tags],
    ['input tag', write.inputTags],
  ];
  for (const [kind, items] of entries) {
    for (const { key } of items ?? []) {
      const prefix = learnerPrefixOf(prefixes, key);
      if (prefix !== undefined) return { kind, key, prefix };
    }
  }
  return undefined;
}

/** INVALID_PARAMETER_VALUE naming the refused key, its prefix and the setting. */
export class LearnerKeyRefusedError extends MlflowError {
  constructor(readonly refusal: LearnerKeyRefusal) {
    super(
      'INVALID_PARAMETER_VALUE',
      `${KIND_LABEL[refusal.kind]} '${refusal.key}' is refused: keys under '${refusal.prefix}' describe an individual learner, and this server keeps only aggregate FLOps data (LEARNER_KEY_PREFIXES).`,
    );
    this.name = 'LearnerKeyRefusedError';
  }
}

/**
 * Throws LearnerKeyRefusedError for the first refused key of the write, after telling
 * `onRefused` (the one place refusals can be counted); a clean write passes. An empty prefix list
 * turns the rule off.
 */
export function assertNoLearnerKeys(
  prefixes: readonly string[],
  write: KeyedWrite,
  onRefused?: (refusal: LearnerKeyRefusal) => void,
): void {
  const refusal = findLearnerKey(prefixes, write);
  if (refusal === undefined) return;
  onRefused?.(refusal);
  throw new LearnerKeyRefusedError(refusal);
}

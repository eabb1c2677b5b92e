import { FlopsNamingPatterns } from '@app/domain';

/** Settings of the tracking service, provided by whichever app mounts TrackingModule. */
export abstract class TrackingOptions {
  /** Cut over-long param and tag values instead of refusing them (MLFLOW_TRUNCATE_LONG_VALUES). */
  abstract readonly truncateLongValues: boolean;
  /** Keys under these prefixes are refused (LEARNER_KEY_PREFIXES); empty turns the rule off. */
  abstract readonly learnerKeyPrefixes: readonly string[];
  /** The FLOps view's name patterns; the reference ones when absent. */
  abstract readonly flopsNaming?: FlopsNamingPatterns;
}

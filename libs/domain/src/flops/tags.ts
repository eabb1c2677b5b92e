/**
 * The tags the FLOps view reads and the explicit API writes. An unmodified FLOps aggregator sends
 * none of them (it is recognised by names alone); an aggregator that wants more than names can
 * say sends them, and every one that is absent stays absent in the view.
 *
 * Experiment (project) tags:
 * - `flops.project_id`: the FLOps project id; wins over the experiment name.
 * - `flops.objective`: how the best round is chosen, e.g. `accuracy:max` or `loss:min,accuracy:max`.
 *
 * Run (round) tags:
 * - `flops.round`: the round number (decimal digits); wins over the run name.
 * - `flops.cycle`: hierarchical mode, on a cluster-level round: the cycle (root round) it belongs to.
 * - `mlflow.parentRunId`: the same by parent run (MLflow's nested runs).
 * - `flops.round.participants.selected|succeeded|failed`: learners selected for the round, and
 *   how many of them returned a result or failed (non-negative integers).
 * - `flops.round.examples`: training examples aggregated in the round (non-negative integer).
 * - `flops.round.examples.evaluated`: evaluation examples behind `loss`/`accuracy`.
 */
export const FLOPS_TAGS = {
  projectId: 'flops.project_id',
  objective: 'flops.objective',
  round: 'flops.round',
  cycle: 'flops.cycle',
  participantsSelected: 'flops.round.participants.selected',
  participantsSucceeded: 'flops.round.participants.succeeded',
  participantsFailed: 'flops.round.participants.failed',
  examples: 'flops.round.examples',
  evaluationExamples: 'flops.round.examples.evaluated',
} as const;

/** MLflow's own tags the view reads. */
export const MLFLOW_PARENT_RUN_TAG = 'mlflow.parentRunId';
export const MLFLOW_LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

/** Every run tag key the view reads starts with one of these (the store fetches only those). */
export const FLOPS_RUN_TAG_PREFIX = 'flops.';
export const FLOPS_RUN_TAG_KEYS = [MLFLOW_PARENT_RUN_TAG, MLFLOW_LOG_MODEL_HISTORY_TAG] as const;

/** Where the FLOps aggregator uploads the trained model (reference §1.3). */
export const FLOPS_MODEL_ARTIFACT_PATH = 'logged_model_artifact';

/** MLflow's system metrics (`mlflow.enable_system_metrics_logging()`) are logged under this. */
export const SYSTEM_METRIC_PREFIX = 'system/';

/** Per-round aggregation metadata; a field is present only when its tag was sent. */
export interface RoundAggregation {
  participantsSelected?: number;
  participantsSucceeded?: number;
  participantsFailed?: number;
  examples?: number;
  evaluationExamples?: number;
}

export const ROUND_AGGREGATION_TAGS: Record<keyof RoundAggregation, string> = {
  participantsSelected: FLOPS_TAGS.participantsSelected,
  participantsSucceeded: FLOPS_TAGS.participantsSucceeded,
  participantsFailed: FLOPS_TAGS.participantsFailed,
  examples: FLOPS_TAGS.examples,
  evaluationExamples: FLOPS_TAGS.evaluationExamples,
};

/** Largest count the metadata tags carry: what a JS number holds exactly. */
const COUNT = /^\d{1,15}$/;

/** The metadata a round's tags carry; malformed values are left out, never guessed. */
export function roundAggregationOf(tags: ReadonlyMap<string, string>): RoundAggregation {
  const aggregation: RoundAggregation = {};
  for (const field of Object.keys(ROUND_AGGREGATION_TAGS) as (keyof RoundAggregation)[]) {
    const value = tags.get(ROUND_AGGREGATION_TAGS[field]);
    if (value !== undefined && COUNT.test(value)) aggregation[field] = Number(value);
  }
  return aggregation;
}

/** The tags that record `aggregation` on a run (explicit API). */
export function roundAggregationTags(
  aggregation: RoundAggregation,
): { key: string; value: string }[] {
  const tags: { key: string; value: string }[] = [];
  for (const field of Object.keys(ROUND_AGGREGATION_TAGS) as (keyof RoundAggregation)[]) {
    const value = aggregation[field];
    if (value !== undefined) {
      tags.push({ key: ROUND_AGGREGATION_TAGS[field], value: String(value) });
    }
  }
  return tags;
}

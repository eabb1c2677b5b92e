import { ReadableBy } from '../access';
import { NameAffixes } from '../flops/naming';
import {
  FlopsExperimentRecord,
  FlopsMetricRecord,
  FlopsParamRecord,
  FlopsRunRecord,
  FlopsSystemMetricRecord,
} from '../flops/records';

export interface FlopsProjectQuery {
  /** Experiments named `<prefix>…<suffix>` or carrying the `flops.project_id` tag. */
  projectName: NameAffixes;
  /** Only what this caller may read; null: everything. */
  readableBy: ReadableBy | null;
  /** Case-sensitive substring of the experiment name or of the project id tag. */
  nameContains?: string;
}

/** Which runs a read covers: every active run of some experiments, or the runs named. */
export type FlopsRunSelection = { experimentIds: string[] } | { runIds: string[] };

/**
 * The reads behind the FLOps view (projects and rounds), each one statement or a fixed number
 * of them however many rounds there are. Only active experiments and active runs are read.
 * Candidates are returned as stored: the domain decides which experiments are projects and
 * which runs are rounds (`assembleProject`), so no name is interpreted here beyond the SQL
 * prefilter. Writes go through the experiment and run stores, so MLflow clients see them.
 */
export abstract class FlopsStore {
  /** Active candidate projects, in no particular order. */
  abstract findProjects(query: FlopsProjectQuery): Promise<FlopsExperimentRecord[]>;

  /** One experiment (active or deleted) with its tags, or null when absent. */
  abstract getExperiment(experimentId: string): Promise<FlopsExperimentRecord | null>;

  /** The experiments of these ids that exist (active or deleted), in no particular order. */
  abstract getExperiments(experimentIds: string[]): Promise<FlopsExperimentRecord[]>;

  /** The active runs of the experiments, with the view's tags and logged models. */
  abstract findRuns(experimentIds: string[]): Promise<FlopsRunRecord[]>;

  /** Latest value per (run, key); `keys` absent: every key except `system/*`. */
  abstract latestMetrics(
    runs: FlopsRunSelection,
    keys?: readonly string[],
  ): Promise<FlopsMetricRecord[]>;

  abstract params(runs: FlopsRunSelection): Promise<FlopsParamRecord[]>;

  /** Mean and max over the history of each `system/*` key (or of `keys` only) per run. */
  abstract systemMetricSummaries(
    runs: FlopsRunSelection,
    keys?: readonly string[],
  ): Promise<FlopsSystemMetricRecord[]>;
}

import { KeyValue, LifecycleStage, RunStatus } from '../entities';
import { FlopsNaming } from './naming';
import { parseRoundNumber } from './naming';
import { bestRound, Objective, objectiveOfTag } from './objective';
import {
  FlopsExperimentRecord,
  FlopsMetricRecord,
  FlopsParamRecord,
  FlopsRunRecord,
  FlopsSystemMetricRecord,
} from './records';
import {
  FLOPS_MODEL_ARTIFACT_PATH,
  FLOPS_TAGS,
  MLFLOW_LOG_MODEL_HISTORY_TAG,
  MLFLOW_PARENT_RUN_TAG,
  RoundAggregation,
  roundAggregationOf,
} from './tags';

/**
 * - `active`: no round yet, or a round still RUNNING or SCHEDULED;
 * - `failed`: nothing running and some round FAILED or KILLED (the aggregator does not retry);
 * - `finished`: every round FINISHED.
 */
export const PROJECT_STATES = ['active', 'finished', 'failed'] as const;
export type ProjectState = (typeof PROJECT_STATES)[number];

export interface MetricValue {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface SystemMetricSummary {
  key: string;
  mean: number;
  max: number;
  samples: number;
  lastTimestamp: number;
}

/** Where the trained model of a project lies: a run artifact (MLflow 2) or a logged model (3). */
export interface TrainedModelRef {
  round: number;
  runId: string;
  artifactPath: string;
  /** The run's artifact URI; the files are under `<artifactUri>/<artifactPath>`. */
  artifactUri: string;
  /** Set when the model was logged as an MLflow 3 logged model. */
  loggedModelId?: string;
}

export interface FlopsRound {
  round: number;
  runId: string;
  runName: string;
  status: RunStatus;
  startTime: number | null;
  endTime: number | null;
  durationMs: number | null;
  /** On a cluster-level round (hierarchical mode): the cycle it belongs to. */
  cycle: number | null;
  metrics: MetricValue[];
  params: KeyValue[];
  aggregation: RoundAggregation;
  systemMetrics: SystemMetricSummary[];
  /** Hierarchical mode: the cluster-level rounds of this cycle, in round order. */
  clusterRounds: FlopsRound[];
  /** Whether this run carries the trained model's files. */
  carriesModel: boolean;
}

export interface FlopsProject {
  projectId: string;
  experimentId: string;
  name: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  objective: Objective;
  /** `hierarchical` once a cluster-level round nests under a cycle. */
  mode: 'classic' | 'hierarchical';
  state: ProjectState;
  /** Top-level rounds (cycles in hierarchical mode), in round order. */
  rounds: FlopsRound[];
  bestRound: FlopsRound | null;
  model: TrainedModelRef | null;
  /** The latest round start or end, or the project's creation when it has no round. */
  lastActivityTime: number;
}

/** The FLOps project id of an experiment: its `flops.project_id` tag, else its name; or null. */
export function projectIdOf(
  experiment: Pick<FlopsExperimentRecord, 'name' | 'tags'>,
  naming: FlopsNaming,
): string | null {
  const tagged = experiment.tags.find((t) => t.key === FLOPS_TAGS.projectId)?.value;
  if (tagged !== undefined && tagged !== '') return tagged;
  return naming.projectIdOfName(experiment.name);
}

export interface RoundIdentity {
  round: number;
  /** Cluster-level round: the cycle number (tag) or the parent run (nested runs). */
  cycle: number | null;
  parentRunId: string | null;
}

/** A run's round number (tag `flops.round`, else its name) and nesting, or null if none. */
export function roundIdentityOf(
  run: Pick<FlopsRunRecord, 'runName' | 'tags'>,
  naming: FlopsNaming,
): RoundIdentity | null {
  const tags = tagMap(run.tags);
  const tagged = tags.get(FLOPS_TAGS.round);
  const round = tagged !== undefined ? parseRoundNumber(tagged) : naming.roundOfName(run.runName);
  if (round === null) return null;
  const parent = tags.get(MLFLOW_PARENT_RUN_TAG);
  return {
    round,
    cycle: parseRoundNumber(tags.get(FLOPS_TAGS.cycle)),
    parentRunId: parent !== undefined && parent !== '' ? parent : null,
  };
}

/** Round data beyond the runs themselves; what was not read stays empty. */
export interface RoundData {
  metrics?: readonly FlopsMetricRecord[];
  params?: readonly FlopsParamRecord[];
  systemMetrics?: readonly FlopsSystemMetricRecord[];
}

/**
 * One project from its experiment and its runs (any order, any experiment: the project's own
 * are picked). Runs without a round number are not rounds. Two runs with the same number (an
 * aggregator restarted) are one round: the one started last. A run nested (by `flops.cycle` or
 * parent run) under a cycle of this project is a cluster-level round of that cycle; one whose
 * cycle is unknown is left out rather than mistaken for a cycle.
 */
export function assembleProject(
  experiment: FlopsExperimentRecord,
  runs: readonly FlopsRunRecord[],
  naming: FlopsNaming,
  data: RoundData = {},
): FlopsProject | null {
  const projectId = projectIdOf(experiment, naming);
  if (projectId === null) return null;
  const metrics = groupByRun(data.metrics ?? []);
  const params = groupByRun(data.params ?? []);
  const system = groupByRun(data.systemMetrics ?? []);

  const identified = runs
    .filter((run) => run.experimentId === experiment.experimentId)
    .map((run) => ({ run, id: roundIdentityOf(run, naming) }))
    .filter((x): x is { run: FlopsRunRecord; id: RoundIdentity } => x.id !== null);
  const nested = (x: { id: RoundIdentity }) => x.id.cycle !== null || x.id.parentRunId !== null;

  const toRound = (run: FlopsRunRecord, id: RoundIdentity, cycle: number | null): FlopsRound => ({
    round: id.round,
    runId: run.runId,
    runName: run.runName,
    status: run.status,
    startTime: run.startTime,
    endTime: run.endTime,
    durationMs: run.startTime !== null && run.endTime !== null ? run.endTime - run.startTime : null,
    cycle,
    metrics: (metrics.get(run.runId) ?? []).map(({ key, value, timestamp, step }) => ({
      key,
      value,
      timestamp,
      step,
    })),
    params: (params.get(run.runId) ?? []).map(({ key, value }) => ({ key, value })),
    aggregation: roundAggregationOf(tagMap(run.tags)),
    systemMetrics: (system.get(run.runId) ?? []).map(
      ({ key, mean, max, samples, lastTimestamp }) => ({ key, mean, max, samples, lastTimestamp }),
    ),
    clusterRounds: [],
    carriesModel: modelArtifactOf(run) !== null,
  });

  const cycles = latestPerRound(identified.filter((x) => !nested(x))).map((x) =>
    toRound(x.run, x.id, null),
  );
  const byNumber = new Map(cycles.map((c) => [c.round, c]));
  const byRunId = new Map(cycles.map((c) => [c.runId, c]));
  const children = new Map<FlopsRound, { run: FlopsRunRecord; id: RoundIdentity }[]>();
  for (const x of identified.filter(nested)) {
    const parent =
      (x.id.parentRunId !== null ? byRunId.get(x.id.parentRunId) : undefined) ??
      (x.id.cycle !== null ? byNumber.get(x.id.cycle) : undefined);
    if (!parent) continue;
    const list = children.get(parent) ?? [];
    list.push(x);
    children.set(parent, list);
  }
  for (const [parent, list] of children) {
    parent.clusterRounds = latestPerRound(list).map((x) => toRound(x.run, x.id, parent.round));
  }

  const objective = projectObjective(experiment);
  const best = bestRound(
    cycles.map((round) => ({
      round: round.round,
      metrics: new Map(round.metrics.map((m) => [m.key, m.value])),
      source: round,
    })),
    objective,
  );
  return {
    projectId,
    experimentId: experiment.experimentId,
    name: experiment.name,
    lifecycleStage: experiment.lifecycleStage,
    creationTime: experiment.creationTime,
    lastUpdateTime: experiment.lastUpdateTime,
    objective,
    mode: children.size > 0 ? 'hierarchical' : 'classic',
    state: projectState(cycles),
    rounds: cycles,
    bestRound: best?.source ?? null,
    model: trainedModelOf(identified, cycles),
    lastActivityTime: cycles.reduce(
      (latest, r) => Math.max(latest, r.endTime ?? 0, r.startTime ?? 0),
      experiment.creationTime,
    ),
  };
}

/**
 * Several projects at once: the runs and round data are split by experiment once, so the cost
 * is linear in the rows read, not in projects × rows. Records that are no project are dropped.
 */
export function assembleProjects(
  experiments: readonly FlopsExperimentRecord[],
  runs: readonly FlopsRunRecord[],
  naming: FlopsNaming,
  data: RoundData = {},
): FlopsProject[] {
  const runsByExperiment = new Map<string, FlopsRunRecord[]>();
  const experimentOfRun = new Map<string, string>();
  for (const run of runs) {
    experimentOfRun.set(run.runId, run.experimentId);
    const list = runsByExperiment.get(run.experimentId);
    if (list) list.push(run);
    else runsByExperiment.set(run.experimentId, [run]);
  }
  const split = <T extends { runId: string }>(rows: readonly T[] | undefined) => {
    const byExperiment = new Map<string, T[]>();
    for (const row of rows ?? []) {
      const experimentId = experimentOfRun.get(row.runId);
      if (experimentId === undefined) continue;
      const list = byExperiment.get(experimentId);
      if (list) list.push(row);
      else byExperiment.set(experimentId, [row]);
    }
    return byExperiment;
  };
  const metrics = split(data.metrics);
  const params = split(data.params);
  const systemMetrics = split(data.systemMetrics);
  const projects: FlopsProject[] = [];
  for (const experiment of experiments) {
    const id = experiment.experimentId;
    const project = assembleProject(experiment, runsByExperiment.get(id) ?? [], naming, {
      metrics: metrics.get(id),
      params: params.get(id),
      systemMetrics: systemMetrics.get(id),
    });
    if (project) projects.push(project);
  }
  return projects;
}

/** A project's objective: its `flops.objective` tag, else the aggregator's rule. */
export function projectObjective(experiment: Pick<FlopsExperimentRecord, 'tags'>): Objective {
  return objectiveOfTag(experiment.tags.find((t) => t.key === FLOPS_TAGS.objective)?.value);
}

export function projectState(rounds: readonly Pick<FlopsRound, 'status'>[]): ProjectState {
  if (rounds.length === 0) return 'active';
  if (rounds.some((r) => r.status === 'RUNNING' || r.status === 'SCHEDULED')) return 'active';
  if (rounds.some((r) => r.status === 'FAILED' || r.status === 'KILLED')) return 'failed';
  return 'finished';
}

/**
 * The round carrying the trained model: the latest-numbered top-level round whose run has the
 * model, found through the runs (the aggregator uploads into the last round's run, whichever
 * round scored best), or null.
 */
function trainedModelOf(
  identified: { run: FlopsRunRecord; id: RoundIdentity }[],
  cycles: FlopsRound[],
): TrainedModelRef | null {
  const top = new Set(cycles.map((c) => c.runId));
  let found: TrainedModelRef | null = null;
  for (const { run, id } of identified) {
    if (!top.has(run.runId)) continue;
    const artifact = modelArtifactOf(run);
    if (artifact === null || (found !== null && found.round > id.round)) continue;
    found = { round: id.round, runId: run.runId, artifactUri: run.artifactUri, ...artifact };
  }
  return found;
}

/** The model a run carries: a log-model history entry or a logged model under the FLOps path. */
export function modelArtifactOf(
  run: Pick<FlopsRunRecord, 'tags' | 'loggedModels'>,
): { artifactPath: string; loggedModelId?: string } | null {
  const logged = run.loggedModels.find((m) => m.name === FLOPS_MODEL_ARTIFACT_PATH);
  if (logged) return { artifactPath: FLOPS_MODEL_ARTIFACT_PATH, loggedModelId: logged.modelId };
  const history = run.tags.find((t) => t.key === MLFLOW_LOG_MODEL_HISTORY_TAG)?.value;
  if (history === undefined) return null;
  let entries: unknown;
  try {
    entries = JSON.parse(history);
  } catch {
    return null;
  }
  if (!Array.isArray(entries)) return null;
  const logsPath = entries.some(
    (entry) =>
      typeof entry === 'object' &&
      entry !== null &&
      (entry as { artifact_path?: unknown }).artifact_path === FLOPS_MODEL_ARTIFACT_PATH,
  );
  return logsPath ? { artifactPath: FLOPS_MODEL_ARTIFACT_PATH } : null;
}

function latestPerRound<T extends { run: FlopsRunRecord; id: RoundIdentity }>(items: T[]): T[] {
  const byRound = new Map<number, T>();
  for (const item of items) {
    const seen = byRound.get(item.id.round);
    if (!seen || startedLater(item.run, seen.run)) byRound.set(item.id.round, item);
  }
  return [...byRound.values()].sort((a, b) => a.id.round - b.id.round);
}

function startedLater(a: FlopsRunRecord, b: FlopsRunRecord): boolean {
  const sa = a.startTime ?? 0;
  const sb = b.startTime ?? 0;
  return sa !== sb ? sa > sb : a.runId > b.runId;
}

function tagMap(tags: readonly KeyValue[]): Map<string, string> {
  return new Map(tags.map((t) => [t.key, t.value]));
}

function groupByRun<T extends { runId: string; key: string }>(
  rows: readonly T[],
): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.runId) ?? [];
    list.push(row);
    groups.set(row.runId, list);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return groups;
}

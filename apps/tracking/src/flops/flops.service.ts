import { Injectable } from '@nestjs/common';

import {
  assembleProject,
  assembleProjects,
  decodePageToken,
  encodePageToken,
  FLOPS_TAGS,
  FLOPS_VERSION_TAGS,
  FlopsExperimentRecord,
  FlopsMetricRecord,
  FlopsNaming,
  FlopsProject,
  flopsProjectNotFound,
  FlopsRound,
  FlopsStore,
  formatObjective,
  KeyValue,
  LoadedFlopsProject,
  loadFlopsProject,
  Metric,
  MetricValue,
  MLFLOW_PARENT_RUN_TAG,
  MlflowError,
  ModelRegistryStore,
  ModelVersion,
  objectiveMetricKeys,
  orderProjects,
  Page,
  parseObjective,
  parseProjectOrder,
  parseProjectState,
  Principal,
  projectObjective,
  promotedVersionsByExperiment,
  readableBy,
  registeredVersionOf,
  RoundAggregation,
  roundAggregationTags,
  RunStatus,
  validateFlopsProjectId,
  validateKey,
  validateProjectKey,
} from '@app/domain';

import { ExperimentsService } from '../experiments/experiments.service';
import { RunsService } from '../runs/runs.service';

export const MAX_SERIES_METRICS = 20;
export const MAX_SERIES_PROJECTS = 10;
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface ListProjectsParams {
  caller: Principal;
  state?: string;
  name?: string;
  orderBy?: string;
  maxResults?: number;
  pageToken?: string;
}

/** A project with the registered version of its trained model, if it was promoted. */
export interface ProjectSummary {
  project: FlopsProject;
  registeredVersion: ModelVersion | null;
}

export interface CreateProjectParams {
  projectId: string;
  objective?: string;
  tags: KeyValue[];
  caller: Principal;
}

export interface StartRoundParams {
  round: number;
  /** Hierarchical mode: the cycle (top-level round) this cluster-level round belongs to. */
  cycle?: number;
  startTime?: number;
  params: KeyValue[];
  aggregation: RoundAggregation;
  caller: Principal;
}

export interface FinishRoundParams {
  cycle?: number;
  status: RunStatus;
  endTime?: number;
  metrics: { key: string; value: number; timestamp?: number; step?: number }[];
  aggregation: RoundAggregation;
}

export interface MetricSeries {
  key: string;
  points: { round: number; value: number; timestamp: number; step: number }[];
}

export interface SystemSeries {
  key: string;
  points: { round: number; mean: number; max: number; timestamp: number }[];
}

export interface ProjectSeries {
  project: FlopsProject;
  metrics: MetricSeries[];
  system: SystemSeries[];
}

/**
 * The FLOps view: projects and rounds read from experiments and runs through the FlopsStore (a
 * fixed number of queries per request, whatever the round count), and the explicit project and
 * round writes made as MLflow experiment and run writes, with their rules. Access to the project
 * named by a request is decided by the guard; lists are narrowed in SQL to readable projects.
 */
@Injectable()
export class FlopsService {
  constructor(
    private readonly store: FlopsStore,
    private readonly naming: FlopsNaming,
    private readonly experiments: ExperimentsService,
    private readonly runs: RunsService,
    private readonly registry: ModelRegistryStore,
  ) {}

  /**
   * The registered version of each project's trained model (promoted through the registry's FLOps
   * promotion), as far as the caller may read it: one statement for the whole page.
   */
  private async registeredVersions(
    projects: readonly FlopsProject[],
    caller: Principal,
  ): Promise<Map<string, ModelVersion>> {
    const withModel = projects.filter((p) => p.model !== null);
    const found = new Map<string, ModelVersion>();
    if (withModel.length === 0) return found;
    const versions = await this.registry.findModelVersionsByTag(
      FLOPS_VERSION_TAGS.experimentId,
      withModel.map((p) => p.experimentId),
      readableBy(caller),
    );
    const promoted = promotedVersionsByExperiment(versions);
    for (const project of withModel) {
      const version = registeredVersionOf(project, promoted.get(project.experimentId) ?? []);
      if (version) found.set(project.experimentId, version);
    }
    return found;
  }

  async listProjects(params: ListProjectsParams): Promise<Page<ProjectSummary>> {
    const page = await this.listProjectPage(params);
    const registered = await this.registeredVersions(page.items, params.caller);
    return {
      ...page,
      items: page.items.map((project) => ({
        project,
        registeredVersion: registered.get(project.experimentId) ?? null,
      })),
    };
  }

  private async listProjectPage(params: ListProjectsParams): Promise<Page<FlopsProject>> {
    const state = parseProjectState(params.state);
    const order = parseProjectOrder(params.orderBy);
    const maxResults = pageSize(params.maxResults);
    const offset = decodePageToken(params.pageToken);
    const candidates = await this.store.findProjects({
      projectName: this.naming.projectAffixes,
      readableBy: readableBy(params.caller),
      nameContains: params.name,
    });
    // Only the metrics the objectives read, for every round; then all metrics of the page's
    // best rounds: two reads, whatever the number of projects and rounds.
    const keys = [...new Set(candidates.flatMap((c) => objectiveMetricKeys(projectObjective(c))))];
    const ids = candidates.map((c) => c.experimentId);
    const [runs, scored] = await Promise.all([
      this.store.findRuns(ids),
      this.store.latestMetrics({ experimentIds: ids }, keys),
    ]);
    const projects = assembleProjects(candidates, runs, this.naming, { metrics: scored });
    const page = pageOf(orderProjects(projects, order, state), offset, maxResults);
    const bestRunIds = page.items.flatMap((p) => (p.bestRound ? [p.bestRound.runId] : []));
    if (bestRunIds.length === 0) return page;
    const full = await this.store.latestMetrics({ runIds: bestRunIds });
    return {
      ...page,
      items: page.items.map((p) =>
        p.bestRound
          ? {
              ...p,
              bestRound: { ...p.bestRound, metrics: metricValuesOf(full, p.bestRound.runId) },
            }
          : p,
      ),
    };
  }

  /** RESOURCE_DOES_NOT_EXIST (the project's own message) when missing, deleted or no project. */
  async getProjectSummary(experimentId: string, caller: Principal): Promise<ProjectSummary> {
    const project = await this.getProject(experimentId);
    const registered = await this.registeredVersions([project], caller);
    return { project, registeredVersion: registered.get(experimentId) ?? null };
  }

  async getProject(experimentId: string): Promise<FlopsProject> {
    return (await this.loadProject(experimentId, { metrics: true })).project;
  }

  async createProject(params: CreateProjectParams): Promise<FlopsProject> {
    validateFlopsProjectId(params.projectId);
    const objective = params.objective !== undefined ? parseObjective(params.objective) : undefined;
    const reserved = new Set<string>([FLOPS_TAGS.projectId, FLOPS_TAGS.objective]);
    const tags: KeyValue[] = [
      ...params.tags.filter((t) => !reserved.has(t.key)),
      { key: FLOPS_TAGS.projectId, value: params.projectId },
      ...(objective ? [{ key: FLOPS_TAGS.objective, value: formatObjective(objective) }] : []),
    ];
    const experimentId = await this.experiments.create(
      this.naming.projectName(params.projectId),
      tags,
      params.caller,
    );
    return this.getProject(experimentId);
  }

  /** Top-level rounds in round order, each with its metrics, params and system summary. */
  async listRounds(
    experimentId: string,
    maxResults?: number,
    pageToken?: string,
  ): Promise<Page<FlopsRound>> {
    const size = pageSize(maxResults);
    const offset = decodePageToken(pageToken);
    const loaded = await this.loadProject(experimentId, {});
    const { project } = loaded;
    const page = project.rounds.slice(offset, offset + size);
    const detailed = await this.withDetails(loaded, page);
    const result: Page<FlopsRound> = { items: detailed };
    if (offset + size < project.rounds.length) {
      result.nextPageToken = encodePageToken(offset + size);
    }
    return result;
  }

  async getRound(experimentId: string, round: number, cycle?: number): Promise<FlopsRound> {
    const loaded = await this.loadProject(experimentId, {});
    const found = findRound(loaded.project, round, cycle);
    const [detailed] = await this.withDetails(loaded, [found]);
    return cycle === undefined ? detailed : (findIn(detailed.clusterRounds, round) ?? detailed);
  }

  async bestRound(experimentId: string): Promise<FlopsProject> {
    return this.getProject(experimentId);
  }

  /**
   * Starts round `round` as a run named by the round pattern, tagged `flops.round` (and, for a
   * cluster-level round, `flops.cycle` and `mlflow.parentRunId`). A round that already exists is
   * RESOURCE_ALREADY_EXISTS.
   */
  async startRound(experimentId: string, params: StartRoundParams): Promise<FlopsRound> {
    // Everything is checked before the run is created, so a refused request writes nothing.
    const batch = this.runs.checkBatch({ metrics: [], params: params.params, tags: [] });
    const { project } = await this.loadProject(experimentId, {});
    const tags: KeyValue[] = [
      { key: FLOPS_TAGS.round, value: String(params.round) },
      ...roundAggregationTags(params.aggregation),
    ];
    let siblings = project.rounds;
    if (params.cycle !== undefined) {
      const cycle = findRound(project, params.cycle);
      siblings = cycle.clusterRounds;
      tags.push(
        { key: FLOPS_TAGS.cycle, value: String(params.cycle) },
        { key: MLFLOW_PARENT_RUN_TAG, value: cycle.runId },
      );
    }
    if (findIn(siblings, params.round)) {
      throw MlflowError.resourceAlreadyExists(
        `Round ${params.round}${params.cycle !== undefined ? ` of cycle ${params.cycle}` : ''} of FLOps project ${project.projectId} already exists.`,
      );
    }
    const run = await this.runs.create({
      experimentId,
      runName: this.naming.roundName(params.round),
      startTime: params.startTime,
      tags,
      caller: params.caller,
    });
    if (batch.params.length > 0) await this.runs.logBatch(run.info.runId, batch);
    return this.getRound(experimentId, params.round, params.cycle);
  }

  /** Ends the round's run (status, end time) after logging its final metrics and metadata. */
  async finishRound(
    experimentId: string,
    round: number,
    params: FinishRoundParams,
  ): Promise<FlopsRound> {
    const { project } = await this.loadProject(experimentId, {});
    const found =
      params.cycle === undefined
        ? findRound(project, round)
        : findIn(findRound(project, params.cycle).clusterRounds, round);
    if (!found) throw roundNotFound(project, round, params.cycle);
    const now = Date.now();
    const endTime = params.endTime ?? now;
    const metrics: Metric[] = params.metrics.map((m) => ({
      key: m.key,
      value: m.value,
      timestamp: m.timestamp ?? endTime,
      step: m.step ?? 0,
    }));
    const tags = roundAggregationTags(params.aggregation);
    const batch = this.runs.checkBatch({ metrics, params: [], tags });
    if (batch.metrics.length > 0 || batch.tags.length > 0) {
      await this.runs.logBatch(found.runId, batch);
    }
    await this.runs.update(found.runId, { status: params.status, endTime });
    return this.getRound(experimentId, round, params.cycle);
  }

  /** Each metric per top-level round of each project, in one fixed set of queries. */
  async series(
    experimentIds: string[],
    metricKeys: string[],
    system: boolean,
  ): Promise<ProjectSeries[]> {
    if (experimentIds.length === 0 || experimentIds.length > MAX_SERIES_PROJECTS) {
      throw MlflowError.invalidParameterValue(
        `Expected 1 to ${MAX_SERIES_PROJECTS} projects, got ${experimentIds.length}.`,
      );
    }
    experimentIds.forEach((id) => validateProjectKey(id, 'projects'));
    checkMetricKeys(metricKeys, system);
    const unique = [...new Set(experimentIds)];
    const records = await this.store.getExperiments(unique);
    const projects = await this.assemble(records.filter((r) => r.lifecycleStage === 'active'));
    const byId = new Map(projects.map((p) => [p.experimentId, p]));
    for (const id of unique) {
      if (!byId.has(id)) throw flopsProjectNotFound(id);
    }
    // Read by project, not by run id: one statement however many rounds (cluster-level rounds'
    // rows are read too, and dropped below).
    const selection = { experimentIds: unique };
    const [latest, systemRows] = await Promise.all([
      metricKeys.length > 0 ? this.store.latestMetrics(selection, metricKeys) : Promise.resolve([]),
      system ? this.store.systemMetricSummaries(selection) : Promise.resolve([]),
    ]);
    return unique.map((id) => {
      const project = byId.get(id) as FlopsProject;
      const roundOf = new Map(project.rounds.map((r) => [r.runId, r.round]));
      const metrics = metricKeys.map((key): MetricSeries => ({
        key,
        points: latest
          .filter((m) => m.key === key && roundOf.has(m.runId))
          .map((m) => ({
            round: roundOf.get(m.runId) as number,
            value: m.value,
            timestamp: m.timestamp,
            step: m.step,
          }))
          .sort((a, b) => a.round - b.round),
      }));
      const systemKeys = [
        ...new Set(systemRows.filter((s) => roundOf.has(s.runId)).map((s) => s.key)),
      ].sort();
      const systemSeries = systemKeys.map((key): SystemSeries => ({
        key,
        points: systemRows
          .filter((s) => s.key === key && roundOf.has(s.runId))
          .map((s) => ({
            round: roundOf.get(s.runId) as number,
            mean: s.mean,
            max: s.max,
            timestamp: s.lastTimestamp,
          }))
          .sort((a, b) => a.round - b.round),
      }));
      return { project, metrics, system: systemSeries };
    });
  }

  /** The project with every round's details (export). */
  async projectWithRounds(experimentId: string): Promise<FlopsProject> {
    const loaded = await this.loadProject(experimentId, { metrics: true });
    const rounds = await this.withDetails(loaded, loaded.project.rounds);
    return { ...loaded.project, rounds };
  }

  private loadProject(experimentId: string, read: { metrics?: boolean }): Promise<LoadedProject> {
    return loadFlopsProject(this.store, this.naming, experimentId, read);
  }

  /** Projects from their experiments and runs (no metrics), in one read of the runs. */
  private async assemble(records: FlopsExperimentRecord[]): Promise<FlopsProject[]> {
    const runs = await this.store.findRuns(records.map((r) => r.experimentId));
    return assembleProjects(records, runs, this.naming);
  }

  /** The given rounds (and their cluster rounds) with metrics, params and system summaries. */
  private async withDetails(loaded: LoadedProject, rounds: FlopsRound[]): Promise<FlopsRound[]> {
    if (rounds.length === 0) return [];
    const runIds = rounds.flatMap((r) => [r.runId, ...r.clusterRounds.map((c) => c.runId)]);
    const selection = { runIds };
    const [metrics, params, systemMetrics] = await Promise.all([
      this.store.latestMetrics(selection),
      this.store.params(selection),
      this.store.systemMetricSummaries(selection),
    ]);
    const { record, runs } = loaded;
    const project = assembleProject(record, runs, this.naming, {
      metrics,
      params,
      systemMetrics,
    });
    const detailed = new Map((project?.rounds ?? []).map((r) => [r.runId, r]));
    return rounds.map((r) => detailed.get(r.runId) ?? r);
  }
}

function metricValuesOf(rows: FlopsMetricRecord[], runId: string): MetricValue[] {
  return rows
    .filter((m) => m.runId === runId)
    .map(({ key, value, timestamp, step }) => ({ key, value, timestamp, step }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

type LoadedProject = LoadedFlopsProject;

function pageSize(maxResults: number | undefined): number {
  if (maxResults === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE_SIZE) {
    throw MlflowError.invalidParameterValue(
      `Invalid value ${maxResults} for parameter 'max_results' supplied: expected 1 to ${MAX_PAGE_SIZE}.`,
    );
  }
  return maxResults;
}

function pageOf<T>(items: T[], offset: number, size: number): Page<T> {
  const page: Page<T> = { items: items.slice(offset, offset + size) };
  if (offset + size < items.length) page.nextPageToken = encodePageToken(offset + size);
  return page;
}

function findIn(rounds: FlopsRound[], round: number): FlopsRound | undefined {
  return rounds.find((r) => r.round === round);
}

function findRound(project: FlopsProject, round: number, cycle?: number): FlopsRound {
  const top = findIn(project.rounds, cycle ?? round);
  if (!top) throw roundNotFound(project, cycle ?? round);
  if (cycle !== undefined && !findIn(top.clusterRounds, round)) {
    throw roundNotFound(project, round, cycle);
  }
  return top;
}

function roundNotFound(project: FlopsProject, round: number, cycle?: number): MlflowError {
  return MlflowError.resourceDoesNotExist(
    `No round ${round}${cycle !== undefined ? ` in cycle ${cycle}` : ''} in FLOps project with experiment id=${project.experimentId}`,
  );
}

function checkMetricKeys(keys: string[], system: boolean): void {
  if (keys.length > MAX_SERIES_METRICS) {
    throw MlflowError.invalidParameterValue(
      `At most ${MAX_SERIES_METRICS} metrics per series request, got ${keys.length}.`,
    );
  }
  if (keys.length === 0 && !system) {
    throw MlflowError.invalidParameterValue(
      "Missing value for required parameter 'metrics': name at least one metric, or system=true.",
    );
  }
  keys.forEach((key) => validateKey('metric', key, 'metrics'));
}

import { KeyValue, ModelVersion } from '../entities';
import { MlflowError } from '../errors';
import { LIMITS, validateRegisteredModelName } from '../rules';
import { formatObjective } from './objective';
import { FlopsProject } from './project-view';
import { FLOPS_MODEL_ARTIFACT_PATH, FLOPS_TAGS } from './tags';

/**
 * The tags a model version promoted from a FLOps project carries: its lineage, readable by any
 * MLflow client through `model-versions/get` and searchable with `tags.flops.project_id = '…'`.
 * - `flops.project_id`: the project;
 * - `flops.experiment_id`: the project's experiment;
 * - `flops.model_round`: the round whose run carries the files (the aggregator's last round);
 * - `flops.best_round`: the best round under the project's objective (absent when no round has
 *   the objective's metrics), with `flops.best_round.metric.<key>` for each of its metrics;
 * - `flops.objective`: the objective the best round was chosen by (`aggregator`, `accuracy:max`, …).
 */
export const FLOPS_VERSION_TAGS = {
  projectId: FLOPS_TAGS.projectId,
  experimentId: 'flops.experiment_id',
  modelRound: 'flops.model_round',
  bestRound: 'flops.best_round',
  bestRoundMetricPrefix: 'flops.best_round.metric.',
  objective: FLOPS_TAGS.objective,
} as const;

/** What a promoted version says about where it came from. */
export interface PromotionLineage {
  projectId: string;
  experimentId: string;
  modelRound: number;
  bestRound: number | null;
  bestRoundMetrics: { key: string; value: number }[];
  objective: string;
}

/** The lineage of promoting `project`'s trained model now; null when it has none yet. */
export function promotionLineageOf(project: FlopsProject): PromotionLineage | null {
  if (project.model === null) return null;
  const best = project.bestRound;
  return {
    projectId: project.projectId,
    experimentId: project.experimentId,
    modelRound: project.model.round,
    bestRound: best?.round ?? null,
    bestRoundMetrics: (best?.metrics ?? []).map(({ key, value }) => ({ key, value })),
    objective: formatObjective(project.objective),
  };
}

/** The version tags of a lineage, in key order. */
export function lineageTags(lineage: PromotionLineage): KeyValue[] {
  const tags: KeyValue[] = [
    { key: FLOPS_VERSION_TAGS.projectId, value: lineage.projectId },
    { key: FLOPS_VERSION_TAGS.experimentId, value: lineage.experimentId },
    { key: FLOPS_VERSION_TAGS.modelRound, value: String(lineage.modelRound) },
    { key: FLOPS_VERSION_TAGS.objective, value: lineage.objective },
  ];
  if (lineage.bestRound !== null) {
    tags.push({ key: FLOPS_VERSION_TAGS.bestRound, value: String(lineage.bestRound) });
    for (const { key, value } of lineage.bestRoundMetrics) {
      tags.push({ key: `${FLOPS_VERSION_TAGS.bestRoundMetricPrefix}${key}`, value: String(value) });
    }
  }
  return tags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The tags that make two promotions the same model, beside the version's source: the project
 * and the round that carries the files. The best round is left out, since it is the same model
 * however the best round reads by the time of a retry.
 */
export function promotionIdentityTags(lineage: PromotionLineage): KeyValue[] {
  return [
    { key: FLOPS_VERSION_TAGS.projectId, value: lineage.projectId },
    { key: FLOPS_VERSION_TAGS.modelRound, value: String(lineage.modelRound) },
  ];
}

/** A version's lineage read back from its tags; null when it was not promoted from a project. */
export function lineageOfTags(tags: readonly KeyValue[]): PromotionLineage | null {
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  const projectId = byKey.get(FLOPS_VERSION_TAGS.projectId);
  const modelRound = wholeNumber(byKey.get(FLOPS_VERSION_TAGS.modelRound));
  if (projectId === undefined || modelRound === null) return null;
  const prefix = FLOPS_VERSION_TAGS.bestRoundMetricPrefix;
  return {
    projectId,
    experimentId: byKey.get(FLOPS_VERSION_TAGS.experimentId) ?? '',
    modelRound,
    bestRound: wholeNumber(byKey.get(FLOPS_VERSION_TAGS.bestRound)),
    bestRoundMetrics: tags
      .filter((t) => t.key.startsWith(prefix))
      .map((t) => ({ key: t.key.slice(prefix.length), value: Number(t.value) })),
    objective: byKey.get(FLOPS_VERSION_TAGS.objective) ?? '',
  };
}

/** A model version promoted from a project, with the lineage its tags carry. */
export interface PromotedVersion {
  version: ModelVersion;
  lineage: PromotionLineage;
}

/**
 * Versions (e.g. `ModelRegistryStore.findModelVersionsByTag(FLOPS_VERSION_TAGS.experimentId,
 * experimentIds, readableBy)`) grouped by the experiment of the project they were promoted from,
 * in their order; a version whose tags carry no lineage is left out.
 */
export function promotedVersionsByExperiment(
  versions: readonly ModelVersion[],
): Map<string, PromotedVersion[]> {
  const grouped = new Map<string, PromotedVersion[]>();
  for (const version of versions) {
    const lineage = lineageOfTags(version.tags);
    if (lineage === null) continue;
    const list = grouped.get(lineage.experimentId) ?? [];
    list.push({ version, lineage });
    grouped.set(lineage.experimentId, list);
  }
  return grouped;
}

/** MLflow's registered-model name rules, plus: not empty. */
export function validatePromotionModelName(name: string): void {
  if (name === '') {
    throw MlflowError.invalidParameterValue("Registered model name 'name' must not be empty.");
  }
  validateRegisteredModelName(name);
}

/**
 * `flops-<project id>`, the registered model a project's trained model goes to unless the caller
 * names another. A project id too long for a model name must be given a `name`.
 */
export function defaultPromotionModelName(projectId: string): string {
  const name = `flops-${projectId}`;
  if (name.length > LIMITS.maxRegisteredModelNameLength) {
    throw MlflowError.invalidParameterValue(
      `The default registered model name 'flops-<project id>' is longer than ${LIMITS.maxRegisteredModelNameLength} characters for this project: pass 'name'.`,
    );
  }
  return name;
}

/**
 * No round of the project carries the trained model yet. INVALID_STATE (400): the project exists
 * and the request is well formed, but the aggregator uploads the model only in its last round,
 * so the same request succeeds later; RESOURCE_DOES_NOT_EXIST would read as "no such project"
 * to MLflow clients.
 */
export function noTrainedModelError(projectId: string): MlflowError {
  return MlflowError.invalidState(
    `FLOps project ${projectId} has no trained model yet: no round's run carries '${FLOPS_MODEL_ARTIFACT_PATH}' (the aggregator uploads it in the last round).`,
  );
}

function wholeNumber(text: string | undefined): number | null {
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : null;
}

/**
 * The registered version of `project`'s current trained model among the versions promoted from
 * it: the newest one promoted from the round that carries the model now (an older round's version
 * describes an earlier model). Null when the project has no model or it was never promoted.
 */
export function registeredVersionOf(
  project: FlopsProject,
  promoted: readonly PromotedVersion[],
): ModelVersion | null {
  const modelRound = project.model?.round;
  if (modelRound === undefined) return null;
  let newest: ModelVersion | null = null;
  for (const { version, lineage } of promoted) {
    if (lineage.modelRound !== modelRound) continue;
    if (
      newest === null ||
      version.creationTimestamp > newest.creationTimestamp ||
      (version.creationTimestamp === newest.creationTimestamp &&
        Number(version.version) > Number(newest.version))
    ) {
      newest = version;
    }
  }
  return newest;
}

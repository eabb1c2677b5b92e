/** Registry data as the model pages show it: stages, aliases, FLOps lineage, file paths. */

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type Stage = (typeof STAGES)[number];

interface VersionLike {
  version: string;
  current_stage?: string;
}

interface TagLike {
  key: string;
  value: string;
}

/** A stage name as MLflow writes it, or 'None' for anything it does not know. */
export function stageOf(version: VersionLike): Stage {
  const stage = version.current_stage ?? '';
  const known = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  return known ?? 'None';
}

/**
 * The newest version in each stage, in MLflow's stage order, stages without one left out
 * (registered-models/search answers `latest_versions` in no promised order).
 */
export function latestByStage<T extends VersionLike>(
  versions: readonly T[],
): { stage: Stage; version: T }[] {
  const newest = new Map<Stage, T>();
  for (const v of versions) {
    const stage = stageOf(v);
    const held = newest.get(stage);
    if (!held || Number(v.version) > Number(held.version)) newest.set(stage, v);
  }
  return STAGES.filter((s) => newest.has(s)).map((stage) => ({
    stage,
    version: newest.get(stage) as T,
  }));
}

/** Version number → its aliases, sorted, from a registered model's `aliases` list. */
export function aliasesByVersion(
  aliases: readonly { alias: string; version: string }[] | undefined,
): Map<string, string[]> {
  const byVersion = new Map<string, string[]>();
  for (const { alias, version } of aliases ?? []) {
    const list = byVersion.get(version) ?? [];
    list.push(alias);
    byVersion.set(version, list);
  }
  for (const list of byVersion.values()) list.sort();
  return byVersion;
}

/**
 * What setting `alias` on `version` does: an alias names one version of a model, so setting one
 * that another version holds moves it away from that version.
 */
export type AliasChange =
  | { kind: 'invalid'; reason: string }
  | { kind: 'unchanged' }
  | { kind: 'new' }
  | { kind: 'move'; from: string };

/** MLflow refuses `latest` (it means the newest version) and names shaped like `v<number>`. */
export function planAliasChange(
  aliases: readonly { alias: string; version: string }[] | undefined,
  alias: string,
  version: string,
): AliasChange {
  const name = alias.trim();
  if (!name) return { kind: 'invalid', reason: 'An alias needs a name.' };
  if (name.toLowerCase() === 'latest') {
    return { kind: 'invalid', reason: "'latest' is reserved: it always means the newest version." };
  }
  if (/^v\d+$/i.test(name)) {
    return {
      kind: 'invalid',
      reason: `'${name}' looks like a version number, which MLflow refuses.`,
    };
  }
  const held = aliases?.find((a) => a.alias === name);
  if (!held) return { kind: 'new' };
  if (held.version === version) return { kind: 'unchanged' };
  return { kind: 'move', from: held.version };
}

/** The FLOps lineage of a promoted version, read from the `flops.*` tags the promotion writes. */
export interface VersionLineage {
  projectId: string;
  experimentId: string;
  modelRound: number | null;
  bestRound: number | null;
  bestRoundMetrics: { key: string; value: string }[];
  objective: string;
}

const FLOPS_VERSION_TAGS = {
  projectId: 'flops.project_id',
  experimentId: 'flops.experiment_id',
  modelRound: 'flops.model_round',
  bestRound: 'flops.best_round',
  bestRoundMetricPrefix: 'flops.best_round.metric.',
  objective: 'flops.objective',
} as const;

function roundNumber(text: string | undefined): number | null {
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
}

/** Null when the version was not promoted from a FLOps project (no `flops.project_id`). */
export function lineageOfVersion(tags: readonly TagLike[] | undefined): VersionLineage | null {
  const byKey = new Map((tags ?? []).map((t) => [t.key, t.value]));
  const projectId = byKey.get(FLOPS_VERSION_TAGS.projectId);
  if (projectId === undefined) return null;
  const prefix = FLOPS_VERSION_TAGS.bestRoundMetricPrefix;
  return {
    projectId,
    experimentId: byKey.get(FLOPS_VERSION_TAGS.experimentId) ?? '',
    modelRound: roundNumber(byKey.get(FLOPS_VERSION_TAGS.modelRound)),
    bestRound: roundNumber(byKey.get(FLOPS_VERSION_TAGS.bestRound)),
    bestRoundMetrics: (tags ?? [])
      .filter((t) => t.key.startsWith(prefix))
      .map((t) => ({ key: t.key.slice(prefix.length), value: t.value }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    objective: byKey.get(FLOPS_VERSION_TAGS.objective) ?? '',
  };
}

/**
 * Where a version's files sit inside its source run's artifacts: the path to list with
 * `artifacts/list`. Null when the source is not inside that run (the files then have only the
 * source URI to show).
 */
export function artifactPathInRun(
  source: string | undefined,
  runId: string,
  runArtifactUri: string | undefined,
): string | null {
  if (!source || !runId) return null;
  const runsPrefix = `runs:/${runId}`;
  const relative = (rest: string): string | null => {
    if (rest === '') return '';
    if (!rest.startsWith('/')) return null;
    const path = rest.replace(/^\/+|\/+$/g, '');
    return path.split('/').some((part) => part === '..' || part === '.') ? null : path;
  };
  if (source.startsWith(runsPrefix)) return relative(source.slice(runsPrefix.length));
  if (runArtifactUri) {
    const root = runArtifactUri.replace(/\/+$/, '');
    if (source.startsWith(root)) return relative(source.slice(root.length));
  }
  return null;
}

/**
 * `name ILIKE '%text%'`. The filter grammar has no escape inside its single-quoted strings, so a
 * quote in the text becomes `_` (LIKE's any-one-character), which still matches it.
 */
export function modelNameFilter(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed ? `name ILIKE '%${trimmed.replace(/'/g, '_')}%'` : undefined;
}

/** A description's first line, cut to `max` characters, for a list cell. */
export function excerpt(text: string | undefined, max = 80): string {
  const first = (text ?? '').trim().split('\n', 1)[0] ?? '';
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

/**
 * model-versions/search's filter for one model's versions. A name with a quote cannot be written
 * as a string literal there, so it becomes a LIKE with `_` for each quote: that may also match
 * other names, which is why callers keep only the versions whose name is exactly this one.
 */
export function versionsOfModelFilter(name: string): string {
  return name.includes("'") ? `name LIKE '${name.replace(/'/g, '_')}'` : `name = '${name}'`;
}

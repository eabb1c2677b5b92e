import { MlflowError } from '../errors';
import { validateKey } from '../rules';

export type ObjectiveDirection = 'max' | 'min';

export interface ObjectiveTerm {
  metric: string;
  direction: ObjectiveDirection;
}

/**
 * How a project's best round is chosen.
 * - `aggregator`: the FLOps aggregator's own rule (strategies/model_tracking.py): round 1 is best,
 *   and a later round replaces the best only when its accuracy is higher **and** its loss lower.
 *   This is the round whose model the aggregator kept and uploaded.
 * - `terms`: from the `flops.objective` tag, e.g. `accuracy:max` or `loss:min,accuracy:max`:
 *   the first term decides, later ones break ties; a round missing the first metric never wins.
 */
export type Objective = { kind: 'aggregator' } | { kind: 'terms'; terms: ObjectiveTerm[] };

export const AGGREGATOR_OBJECTIVE: Objective = { kind: 'aggregator' };

const MAX_OBJECTIVE_TERMS = 5;

/** The `flops.objective` tag as written on a project, or its text back. */
export function formatObjective(objective: Objective): string {
  return objective.kind === 'aggregator'
    ? 'aggregator'
    : objective.terms.map((t) => `${t.metric}:${t.direction}`).join(',');
}

/**
 * Parses an objective; INVALID_PARAMETER_VALUE naming the expected form. `aggregator` (or an
 * absent value) is the aggregator's rule.
 */
export function parseObjective(text: string | undefined): Objective {
  if (text === undefined || text === '' || text === 'aggregator') return AGGREGATOR_OBJECTIVE;
  const parts = text.split(',');
  if (parts.length > MAX_OBJECTIVE_TERMS) {
    throw objectiveError(text);
  }
  const terms = parts.map((part): ObjectiveTerm => {
    const at = part.lastIndexOf(':');
    const metric = part.slice(0, at).trim();
    const direction = part.slice(at + 1).trim();
    if (at <= 0 || (direction !== 'max' && direction !== 'min')) throw objectiveError(text);
    validateKey('metric', metric, 'objective');
    return { metric, direction };
  });
  return { kind: 'terms', terms };
}

/** A stored tag that does not parse is the aggregator's rule (reading never fails on it). */
export function objectiveOfTag(text: string | undefined): Objective {
  try {
    return parseObjective(text);
  } catch {
    return AGGREGATOR_OBJECTIVE;
  }
}

function objectiveError(text: string): MlflowError {
  return MlflowError.invalidParameterValue(
    `Invalid objective '${text}': expected 'aggregator' or up to ${MAX_OBJECTIVE_TERMS} comma-separated <metric>:max|<metric>:min terms, e.g. 'accuracy:max,loss:min'.`,
  );
}

/** The metrics the best-round choice reads under `objective`. */
export function objectiveMetricKeys(objective: Objective): string[] {
  return objective.kind === 'aggregator'
    ? ['accuracy', 'loss']
    : [...new Set(objective.terms.map((t) => t.metric))];
}

/** What the best-round choice needs of a round. */
export interface ScoredRound {
  round: number;
  /** Latest value per metric key; NaN never wins. */
  metrics: ReadonlyMap<string, number>;
}

/** The best round of `rounds` (any order) under `objective`, or null when none qualifies. */
export function bestRound<T extends ScoredRound>(
  rounds: readonly T[],
  objective: Objective,
): T | null {
  const ordered = [...rounds].sort((a, b) => a.round - b.round);
  return objective.kind === 'aggregator'
    ? aggregatorBest(ordered)
    : termsBest(ordered, objective.terms);
}

function aggregatorBest<T extends ScoredRound>(rounds: T[]): T | null {
  let best: T | null = null;
  for (const round of rounds) {
    const accuracy = finite(round.metrics.get('accuracy'));
    const loss = finite(round.metrics.get('loss'));
    if (accuracy === undefined || loss === undefined) continue;
    if (best === null) {
      best = round;
      continue;
    }
    if (
      accuracy > (best.metrics.get('accuracy') as number) &&
      loss < (best.metrics.get('loss') as number)
    ) {
      best = round;
    }
  }
  return best;
}

function termsBest<T extends ScoredRound>(rounds: T[], terms: ObjectiveTerm[]): T | null {
  let best: T | null = null;
  for (const round of rounds) {
    if (finite(round.metrics.get(terms[0].metric)) === undefined) continue;
    if (best === null || better(round, best, terms)) best = round;
  }
  return best;
}

/** Strictly better: on a full tie the earlier round stays best. */
function better(candidate: ScoredRound, best: ScoredRound, terms: ObjectiveTerm[]): boolean {
  for (const { metric, direction } of terms) {
    const a = finite(candidate.metrics.get(metric));
    const b = finite(best.metrics.get(metric));
    if (a === b) continue;
    if (a === undefined) return false;
    if (b === undefined) return true;
    return direction === 'max' ? a > b : a < b;
  }
  return false;
}

function finite(value: number | undefined): number | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

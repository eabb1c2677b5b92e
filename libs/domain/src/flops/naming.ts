import { MlflowError } from '../errors';

/** The placeholders of the configurable name patterns. */
export const PROJECT_ID_PLACEHOLDER = '<id>';
export const ROUND_PLACEHOLDER = '<n>';

/** What the FLOps aggregator names things (reference §5); both configurable per deployment. */
export const DEFAULT_PROJECT_NAME_PATTERN = `FLOps Project ${PROJECT_ID_PLACEHOLDER}`;
export const DEFAULT_ROUND_NAME_PATTERN = `FLOps FL round ${ROUND_PLACEHOLDER}`;

export interface FlopsNamingPatterns {
  /** Experiment names of projects, with `<id>` once, e.g. `FLOps Project <id>`. */
  projectNamePattern: string;
  /** Run names of rounds, with `<n>` once, e.g. `FLOps FL round <n>`. */
  roundNamePattern: string;
}

export const DEFAULT_FLOPS_NAMING: FlopsNamingPatterns = {
  projectNamePattern: DEFAULT_PROJECT_NAME_PATTERN,
  roundNamePattern: DEFAULT_ROUND_NAME_PATTERN,
};

/** A name pattern split at its one placeholder: what comes before and after it. */
export interface NameAffixes {
  prefix: string;
  suffix: string;
}

/** The longest FLOps project id accepted (an Oakestra application id is 24 hex digits). */
export const MAX_FLOPS_PROJECT_ID_LENGTH = 200;
/** Largest round (or cycle) number: an int32, as the explicit API's `round` field. */
export const MAX_FLOPS_ROUND = 2_147_483_647;

/**
 * The one place where names are read or written: experiment names ↔ FLOps project ids, run
 * names ↔ round numbers. The store filters with {@link projectAffixes} in SQL and this confirms
 * each candidate exactly (SQL LIKE is case-insensitive on some backends).
 */
export class FlopsNaming {
  readonly projectAffixes: NameAffixes;
  readonly roundAffixes: NameAffixes;

  constructor(patterns: FlopsNamingPatterns = DEFAULT_FLOPS_NAMING) {
    this.projectAffixes = splitPattern(
      patterns.projectNamePattern,
      PROJECT_ID_PLACEHOLDER,
      'FLOPS_PROJECT_NAME_PATTERN',
    );
    this.roundAffixes = splitPattern(
      patterns.roundNamePattern,
      ROUND_PLACEHOLDER,
      'FLOPS_ROUND_NAME_PATTERN',
    );
  }

  projectName(projectId: string): string {
    return this.projectAffixes.prefix + projectId + this.projectAffixes.suffix;
  }

  /** The project id an experiment name carries, or null when it does not match the pattern. */
  projectIdOfName(name: string): string | null {
    const id = between(name, this.projectAffixes);
    return id === null || id === '' || id.length > MAX_FLOPS_PROJECT_ID_LENGTH ? null : id;
  }

  roundName(round: number): string {
    return this.roundAffixes.prefix + String(round) + this.roundAffixes.suffix;
  }

  /** The round number a run name carries (digits only, as the aggregator writes them), or null. */
  roundOfName(runName: string): number | null {
    return parseRoundNumber(between(runName, this.roundAffixes));
  }
}

/** A round number written as decimal digits (a tag value or a name part), or null. */
export function parseRoundNumber(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\d{1,10}$/.test(text)) return null;
  const round = Number(text);
  return round <= MAX_FLOPS_ROUND ? round : null;
}

function between(text: string, { prefix, suffix }: NameAffixes): string | null {
  if (text.length < prefix.length + suffix.length) return null;
  if (!text.startsWith(prefix) || !text.endsWith(suffix)) return null;
  return text.slice(prefix.length, text.length - suffix.length);
}

function splitPattern(pattern: string, placeholder: string, setting: string): NameAffixes {
  const at = pattern.indexOf(placeholder);
  if (at < 0 || pattern.indexOf(placeholder, at + 1) >= 0) {
    throw MlflowError.invalidParameterValue(
      `${setting} must contain ${placeholder} exactly once, got '${pattern}'.`,
    );
  }
  return { prefix: pattern.slice(0, at), suffix: pattern.slice(at + placeholder.length) };
}

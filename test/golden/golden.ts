import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the recordings live: shared/ beside the repository (also in CI's clean clone). */
export const GOLDEN_DIR =
  process.env.GOLDEN_DIR ?? join(__dirname, '../../../shared/reference/mlflow-golden');

export interface GoldenExchange {
  name: string;
  note?: string;
  request: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: unknown;
    body_format?: 'raw-text' | 'description';
  };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export function loadGolden(file: string): GoldenExchange[] {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, file), 'utf8')) as GoldenExchange[];
}

/** Placeholders bound from responses and substituted into later requests (README "Placeholders"). */
const BINDABLE = /<(?:number:)?(?:run_id|experiment_id|name):\d+>/g;
const ANY_PLACEHOLDER = /<(?:number:)?(?:run_id|experiment_id|name):\d+>|<ms>|<dest>|<host>/g;

export class Bindings {
  private readonly values = new Map<string, string>();

  /** Replaces bound placeholders in a request path. */
  path(path: string): string {
    return path.replace(BINDABLE, (ph) => encodeURIComponent(this.require(ph)));
  }

  /** Replaces bound placeholders in a JSON request body; `<number:…>` becomes a JSON number. */
  body(value: unknown): unknown {
    if (typeof value === 'string') {
      const whole = /^<number:(experiment_id:\d+)>$/.exec(value);
      if (whole) return Number(this.require(`<${whole[1]}>`));
      return value.replace(BINDABLE, (ph) => this.require(ph));
    }
    if (Array.isArray(value)) return value.map((v) => this.body(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.body(v)]));
    }
    return value;
  }

  /**
   * Matches one of our strings against a recorded string that may hold placeholders, binding new
   * ones. Returns false when the shapes differ or a bound value disagrees.
   */
  matchString(expected: string, actual: string): boolean {
    const names: string[] = [];
    let pattern = '';
    let last = 0;
    for (const m of expected.matchAll(ANY_PLACEHOLDER)) {
      pattern += escapeRegex(expected.slice(last, m.index));
      const ph = m[0];
      if (ph === '<ms>') pattern += '\\d+';
      else if (ph === '<dest>' || ph === '<host>') pattern += '.+?';
      else {
        const bound = this.values.get(ph);
        if (bound !== undefined) pattern += escapeRegex(bound);
        else {
          names.push(ph);
          pattern += '(.+?)';
        }
      }
      last = (m.index ?? 0) + ph.length;
    }
    pattern += escapeRegex(expected.slice(last));
    const match = new RegExp(`^${pattern}$`, 's').exec(actual);
    if (!match) return false;
    names.forEach((ph, i) => this.values.set(ph, match[i + 1]));
    return true;
  }

  has(placeholder: string): boolean {
    return this.values.has(placeholder);
  }

  private require(placeholder: string): string {
    const key = placeholder.replace('<number:', '<');
    const value = this.values.get(key);
    if (value === undefined) throw new Error(`placeholder ${placeholder} used before it was bound`);
    return value;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The bytes a `description` body stands for (README "Exchange format"). */
export function describedBytes(description: string): Buffer {
  if (description === '<0 bytes>') return Buffer.alloc(0);
  if (/^<256 bytes: 0x00, 0x01, \.\.\., 0xff/.test(description)) {
    return Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  }
  const m = /^<(\d+) bytes?: (".*")>$/s.exec(description);
  if (!m) throw new Error(`unknown body description ${description}`);
  return Buffer.from(JSON.parse(m[2]) as string, 'utf8');
}

export interface Mismatch {
  path: string;
  problem: string;
}

export interface CompareOptions {
  /** JSON paths (e.g. `message`, `next_page_token`) whose values may differ (types must match). */
  looseValues?: string[];
}

/**
 * Compares our JSON with the recorded JSON: key presence and order, value types, and values
 * (placeholders bound; numbers by value). Returns every mismatch found.
 */
export function compareJson(
  expected: unknown,
  actual: unknown,
  bindings: Bindings,
  options: CompareOptions = {},
  path = '',
): Mismatch[] {
  const loose = options.looseValues ?? [];
  const leaf = path.replace(/\[\d+\]/g, '[]');
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'string' && typeof actual === 'string') {
      if (loose.includes(leaf) || loose.includes(path)) return [];
      return bindings.matchString(expected, actual)
        ? []
        : [
            {
              path,
              problem: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
            },
          ];
    }
    if (typeof expected === 'string' && expected === '<ms>' && typeof actual === 'number') {
      return [];
    }
    if (typeof expected !== typeof actual) {
      return [
        {
          path,
          problem: `expected ${typeof expected} ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`,
        },
      ];
    }
    if (loose.includes(leaf) || loose.includes(path) || expected === actual) return [];
    return [
      { path, problem: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}` },
    ];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      return [{ path, problem: `expected an array, got ${JSON.stringify(actual)}` }];
    }
    if (expected.length !== actual.length) {
      return [
        {
          path,
          problem: `expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual).slice(0, 400)}`,
        },
      ];
    }
    return expected.flatMap((item, i) =>
      compareJson(item, actual[i], bindings, options, `${path}[${i}]`),
    );
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
    return [{ path, problem: `expected an object, got ${JSON.stringify(actual)}` }];
  }
  const expectedKeys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  if (expectedKeys.join(',') !== actualKeys.join(',')) {
    return [
      {
        path,
        problem: `keys ${JSON.stringify(actualKeys)} differ from recorded ${JSON.stringify(expectedKeys)}`,
      },
    ];
  }
  return expectedKeys.flatMap((key) =>
    compareJson(
      (expected as Record<string, unknown>)[key],
      (actual as Record<string, unknown>)[key],
      bindings,
      options,
      path ? `${path}.${key}` : key,
    ),
  );
}

import { MlflowError } from '@app/domain';

/** What the MLflow request reader needs from an HTTP request (Fastify's or a test's). */
export interface RawMlflowRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  /** The body as text (our content-type parser keeps it raw), or already-parsed JSON. */
  body: unknown;
  /** The query string was present in the URL (`?` followed by anything). */
  hasQueryString: boolean;
}

/**
 * MLflow's `_get_request_message`, transport half: a GET with a query string reads only the query;
 * anything else reads the JSON body, leniently (bad JSON or an empty body is `{}`, a body that
 * decodes to a string is decoded again). POST and PUT must say `Content-Type: application/json`.
 * Keys are turned to snake_case so lowerCamelCase requests work, at every depth.
 */
export function readMlflowRequest(request: RawMlflowRequest): Record<string, unknown> {
  const method = request.method.toUpperCase();
  if (method === 'GET' && request.hasQueryString) {
    return snakeCaseKeys(request.query) as Record<string, unknown>;
  }
  if (method === 'POST' || method === 'PUT') {
    assertJsonContentType(request.headers['content-type']);
  }
  const parsed = parseLenientJson(request.body);
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw MlflowError.invalidParameterValue('The request body must be a JSON object.');
  }
  return snakeCaseKeys(parsed) as Record<string, unknown>;
}

function assertJsonContentType(header: string | string[] | undefined): void {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') {
    throw MlflowError.invalidParameterValue('Bad Request. Content-Type header is missing.');
  }
  const mediaType = value.split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw MlflowError.invalidParameterValue(
      "Bad Request. Content-Type must be one of ['application/json'].",
    );
  }
}

function parseLenientJson(body: unknown): unknown {
  let value = body;
  for (let depth = 0; depth < 2 && typeof value === 'string'; depth++) {
    if (value.trim() === '') return undefined;
    const text = quoteLongIntegers(value);
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  return value;
}

/** A JSON string literal, or an integer literal of 16 digits or more (beyond 2^53 from 9e15). */
const STRING_OR_LONG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\w.])/g;

/**
 * Integer literals too long for a double become decimal strings before parsing, so an int64
 * (MLflow's clients send them as JSON numbers) keeps its digits; MLflow's readers take int64s
 * as numbers or decimal strings alike. Only bodies that have such a run of digits pay the scan.
 */
function quoteLongIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  let integers = 0;
  return text.replace(STRING_OR_LONG_INTEGER, (token) => {
    if (token[0] === '"') return token;
    // Each is a value of the body: past the bound, stop here rather than after parsing it all.
    if (++integers > MAX_VALUES_PER_BODY) throw tooManyValues();
    return `"${token}"`;
  });
}

const MAX_KEY_DEPTH = 32;
/**
 * MLflow's messages have a few dozen fields and encode maps as lists of key/value pairs, so an
 * object with more keys is not a request. The bounds keep the object mapping downstream
 * (class-transformer de-duplicates an object's keys in quadratic time) from turning one body of
 * the admitted size into seconds of CPU that stall every other request.
 */
export const MAX_KEYS_PER_OBJECT = 1000;
/** Keys and list items of a whole body: a log-batch at MLflow's limits has about 5,000. */
export const MAX_VALUES_PER_BODY = 100_000;

function snakeCaseKeys(value: unknown): unknown {
  return new KeyNormalizer().normalize(value, 0);
}

/** Turns keys to snake_case at every depth, counting them against the bounds as it goes. */
class KeyNormalizer {
  private values = 0;

  private count(values: number): void {
    this.values += values;
    if (this.values > MAX_VALUES_PER_BODY) throw tooManyValues();
  }

  /** `keepKeys`: the object is a proto map (its keys are data, `mlflow.traceName`, not fields). */
  normalize(value: unknown, depth: number, keepKeys = false): unknown {
    if (depth > MAX_KEY_DEPTH) {
      throw MlflowError.invalidParameterValue('The request body is nested too deeply.');
    }
    if (Array.isArray(value)) {
      this.count(value.length);
      return value.map((item) => this.normalize(item, depth + 1));
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length > MAX_KEYS_PER_OBJECT) {
      throw MlflowError.invalidParameterValue(
        `The request body has an object with ${entries.length} keys, more than ${MAX_KEYS_PER_OBJECT}.`,
      );
    }
    this.count(entries.length);
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) {
      const snake = keepKeys ? key : toSnakeCase(key);
      // No MLflow field is named so; assigning it would replace the result's prototype.
      if (snake === '__proto__') continue;
      // An explicit snake_case key wins over its camelCase spelling.
      if (snake !== key && Object.prototype.hasOwnProperty.call(value, snake)) continue;
      const isMap = !keepKeys && MAP_FIELDS.has(snake) && !Array.isArray(item);
      result[snake] = this.normalize(item, depth + 1, isMap);
    }
    return result;
  }
}

export function toSnakeCase(key: string): string {
  return /[A-Z]/.test(key) && /^[a-z]/.test(key)
    ? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    : key;
}

/**
 * Map fields that arrive as JSON objects (MLflow 3.x TraceInfoV3's `trace_metadata` and `tags`);
 * every other object in an MLflow request is a message, and lists of key/value pairs are arrays.
 */
const MAP_FIELDS: ReadonlySet<string> = new Set(['trace_metadata', 'tags']);

function tooManyValues(): MlflowError {
  return MlflowError.invalidParameterValue(
    `The request body has more than ${MAX_VALUES_PER_BODY} keys and list items.`,
  );
}

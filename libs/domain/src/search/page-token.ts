/**
 * Offset page tokens in MLflow's format: base64 of the JSON `{"offset": N}` (mlflow-rest-api.md
 * §5.5). Encoding byte-for-byte like MLflow (`json.dumps` puts a space after the colon) keeps tokens
 * identical to the real server's, e.g. `eyJvZmZzZXQiOiAyfQ==` for offset 2.
 */
import { MlflowError } from '../errors';

/** Longest page token accepted; a real one is under 40 characters. */
export const MAX_PAGE_TOKEN_LENGTH = 1000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function encodePageToken(offset: number): string {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw MlflowError.internalError(`Cannot encode page offset ${offset}`);
  }
  return Buffer.from(`{"offset": ${offset}}`, 'utf8').toString('base64');
}

/** The offset a page token stands for; 0 for an absent or empty token. */
export function decodePageToken(token: string | undefined): number {
  if (token === undefined || token === null || token === '') return 0;
  return pageTokenOffset(readPageToken(token));
}

/** A page token's JSON, and its text for error messages. */
export interface PageTokenContent {
  decoded: string;
  parsed: unknown;
}

/** Base64-decodes and parses a non-empty token, refusing it with MLflow's messages. */
export function readPageToken(token: string): PageTokenContent {
  if (typeof token !== 'string' || token.length > MAX_PAGE_TOKEN_LENGTH || !BASE64.test(token)) {
    throw MlflowError.invalidParameterValue('Invalid page token, could not base64-decode');
  }
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  try {
    return { decoded, parsed: JSON.parse(decoded) as unknown };
  } catch {
    throw MlflowError.invalidParameterValue(`Invalid page token, decoded value=${decoded}`);
  }
}

/** The `offset` of a read token: a non-negative integer, or INVALID_PARAMETER_VALUE. */
export function pageTokenOffset({ decoded, parsed }: PageTokenContent): number {
  const offset: unknown =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>).offset
      : undefined;
  if (offset === undefined || offset === null) {
    throw MlflowError.invalidParameterValue(`Invalid page token, parsed value=${decoded}`);
  }
  const value =
    typeof offset === 'number'
      ? offset
      : typeof offset === 'string' && /^\d+$/.test(offset)
        ? Number(offset)
        : NaN;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw MlflowError.invalidParameterValue(
      `Invalid page token, offset must be a non-negative integer: ${JSON.stringify(offset)}`,
    );
  }
  return value;
}

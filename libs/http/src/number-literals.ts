import { type Node, parseTree } from 'jsonc-parser';

import { MlflowError } from '@app/domain';

import { toSnakeCase } from './request-normalizer';

const INTEGER_TYPE_ERROR =
  /^Invalid value (-?\d+) for parameter '([^']+)' supplied: {2}Hint: Value was of type 'int'\./;

/**
 * JSON.parse reads `9.0` as 9, so a type error would print MLflow's `int` where Python, which
 * keeps the literal's type, says `Invalid value 9.0 … of type 'float'`. Only on that error path
 * is the body read again, with a parser that keeps each literal's text (jsonc-parser: a
 * well-kept JSON tree parser with offsets), and the message shows the number as the client wrote it.
 */
export function withNumbersAsWritten(error: unknown, body: unknown): unknown {
  if (!(error instanceof MlflowError) || typeof body !== 'string') return error;
  const match = INTEGER_TYPE_ERROR.exec(error.message);
  if (!match) return error;
  const literal = numberLiteralAt(body, fieldPathSegments(match[2]));
  if (literal === null || /^-?\d+$/.test(literal)) return error;
  const message = error.message
    .replace(`Invalid value ${match[1]} `, `Invalid value ${pythonFloatRepr(Number(literal))} `)
    .replace("of type 'int'", "of type 'float'");
  return new MlflowError(error.code, message);
}

/** `metrics[3].key` → `['metrics', 3, 'key']`. */
function fieldPathSegments(path: string): (string | number)[] {
  return path
    .split(/\.|(?=\[)/)
    .map((segment) => (/^\[\d+\]$/.test(segment) ? Number(segment.slice(1, -1)) : segment));
}

/** The text of the number literal at a snake_case path of a JSON document, if there is one. */
export function numberLiteralAt(text: string, path: (string | number)[]): string | null {
  let node: Node | undefined = parseTree(text);
  for (const segment of path) {
    if (node === undefined) return null;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
      continue;
    }
    if (node.type !== 'object') return null;
    const properties = [...(node.children ?? [])].reverse();
    // As the request reader does: the last duplicate wins, an explicit snake_case key over camelCase.
    const property =
      properties.find((p) => p.children?.[0]?.value === segment) ??
      properties.find((p) => toSnakeCase(String(p.children?.[0]?.value)) === segment);
    node = property?.children?.[1];
  }
  return node?.type === 'number' ? text.slice(node.offset, node.offset + node.length) : null;
}

/** Python's repr of an integral float: `9.0`, `-3.0`, `1e+16`. */
function pythonFloatRepr(value: number): string {
  return Math.abs(value) < 1e16 ? `${value}.0` : value.toExponential();
}

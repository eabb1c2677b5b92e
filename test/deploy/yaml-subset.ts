/**
 * Reads the block-style YAML subset deploy/compose/docker-compose.yml is written in: nested
 * mappings, sequences of scalars, plain and quoted scalars (all kept as strings), full-line and
 * trailing comments. Anything else (anchors, flow collections, multi-line scalars, tabs) is an
 * error, so the compose file cannot drift into YAML this reader would misread. Stands in for a
 * YAML library, which is not a dependency of this repository.
 */
export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

interface Line {
  number: number;
  indent: number;
  text: string;
}

export function parseYamlSubset(source: string): YamlValue {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, index) => {
    if (raw.includes('\t')) throw new Error(`line ${index + 1}: tabs are not allowed`);
    const text = stripComment(raw).trimEnd();
    if (text.trim() === '') return;
    lines.push({
      number: index + 1,
      indent: text.length - text.trimStart().length,
      text: text.trim(),
    });
  });
  if (lines.length === 0) return null;
  const cursor = { at: 0 };
  const value = parseBlock(lines, cursor, lines[0].indent);
  if (cursor.at < lines.length) fail(lines[cursor.at], 'unexpected indentation');
  return value;
}

function parseBlock(lines: Line[], cursor: { at: number }, indent: number): YamlValue {
  return lines[cursor.at].text.startsWith('- ')
    ? parseSequence(lines, cursor, indent)
    : parseMapping(lines, cursor, indent);
}

function parseSequence(lines: Line[], cursor: { at: number }, indent: number): YamlValue[] {
  const items: YamlValue[] = [];
  while (cursor.at < lines.length && lines[cursor.at].indent === indent) {
    const line = lines[cursor.at];
    if (!line.text.startsWith('- ')) fail(line, 'a mapping key inside a sequence');
    const item = line.text.slice(2).trim();
    if (/^[^'"]\S*:(\s|$)/.test(item)) fail(line, 'mappings inside sequences are not supported');
    items.push(scalar(line, item));
    cursor.at += 1;
  }
  return items;
}

function parseMapping(
  lines: Line[],
  cursor: { at: number },
  indent: number,
): { [key: string]: YamlValue } {
  const mapping: { [key: string]: YamlValue } = {};
  while (cursor.at < lines.length && lines[cursor.at].indent === indent) {
    const line = lines[cursor.at];
    const match = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/.exec(line.text);
    if (!match) fail(line, 'expected `key: value` or `key:`');
    const [, key, rest] = match;
    if (key in mapping) fail(line, `duplicate key ${key}`);
    cursor.at += 1;
    if (rest !== undefined) {
      mapping[key] = scalar(line, rest);
    } else if (cursor.at < lines.length && lines[cursor.at].indent > indent) {
      mapping[key] = parseBlock(lines, cursor, lines[cursor.at].indent);
    } else {
      mapping[key] = null;
    }
  }
  return mapping;
}

function scalar(line: Line, text: string): string {
  if (text.startsWith("'")) {
    if (!/^'([^']|'')*'$/.test(text)) fail(line, 'unterminated single-quoted scalar');
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text.startsWith('"')) {
    if (!/^"([^"\\]|\\["\\])*"$/.test(text)) fail(line, 'unsupported double-quoted scalar');
    return text.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
  if (/^[&*!|>[{@`]/.test(text)) fail(line, `unsupported YAML construct: ${text}`);
  return text;
}

function stripComment(raw: string): string {
  let quote: string | null = null;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(raw[i - 1]))) {
      return raw.slice(0, i);
    }
  }
  return raw;
}

function fail(line: Line, message: string): never {
  throw new Error(`docker-compose.yml line ${line.number}: ${message}`);
}

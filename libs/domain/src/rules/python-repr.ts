/** Python's `repr()` of a str, as MLflow messages print it (`'lr'`, `"it's"`). */
export function pythonRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const body = value
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(quote === "'" ? /'/g : /"/g, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

/** Python's repr of a set of strings, `{'a', 'b'}`, in the given order. */
export function pythonSet(values: readonly string[]): string {
  return `{${values.map(pythonRepr).join(', ')}}`;
}

/** Python's repr of a list of strings, `['a', 'b']`. */
export function pythonList(values: readonly string[]): string {
  return `[${values.map(pythonRepr).join(', ')}]`;
}

/** Python's repr of a tuple of strings, `('a', 'b')`. */
export function pythonTuple(values: readonly string[]): string {
  return `(${values.map(pythonRepr).join(', ')})`;
}

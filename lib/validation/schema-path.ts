/** Formats field paths the way the API server prints them: `spec.handlers[1].httpConfig`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${key}]`;
}

/** Turns an ajv JSON pointer into an API-server style path, using the data to tell list indexes from keys. */
export function pointerToPath(pointer: string, data: unknown): string {
  let path = '';
  let node: any = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(node);
    path = childPath(path, isIndex ? Number(key) : key);
    node = node?.[key];
  }
  return path;
}

/** A value as a message shows it: JSON, cut short when long (a 10 MB string stays out of the output). */
export function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 100)}... (${text.length} characters)` : text;
}

/** The JSON type of a value as messages name it: null, array, object, string, number, boolean. */
export function jsonTypeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

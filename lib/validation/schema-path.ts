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

/**
 * The segments of a path as `childPath` writes it (`spec.handlers[1].httpConfig`, `metadata.labels[app.kubernetes.io/name]`)
 * or as a CEL rule's fieldPath adds to it (`.spec['a.b']`). Whether `[1]` is an index or a key is the data's to say.
 */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
    } else if (c === '[') {
      const quote = path[i + 1];
      const quotedEnd = quote === '"' || quote === "'" ? path.indexOf(`${quote}]`, i + 2) : -1;
      if (quotedEnd !== -1) {
        segments.push(path.slice(i + 2, quotedEnd));
        i = quotedEnd + 2;
        continue;
      }
      // A key may hold `]`: the segment ends at the `]` the path goes on from.
      let end = path.indexOf(']', i + 1);
      while (end !== -1 && end + 1 < path.length && path[end + 1] !== '.' && path[end + 1] !== '[') end = path.indexOf(']', end + 1);
      if (end === -1) end = path.length;
      segments.push(path.slice(i + 1, end));
      i = end + 1;
    } else {
      let end = i;
      while (end < path.length && path[end] !== '.' && path[end] !== '[') end++;
      segments.push(path.slice(i, end));
      i = end;
    }
  }
  return segments;
}

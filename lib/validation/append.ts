/**
 * Appends `items` to `list` one by one: `list.push(...items)` passes each item as an argument, and a large
 * input (a file of 100,000 objects, each with a finding) exceeds the stack.
 */
export function append<T>(list: T[], items: Iterable<T>): T[] {
  for (const item of items) list.push(item);
  return list;
}

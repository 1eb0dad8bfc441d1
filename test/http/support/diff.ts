/** `name{labels}` key of `snapshot()` for a sample. */
export function key(name: string, labels: Readonly<Record<string, string | number>> = {}): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(',')}}`;
}

/** How much a sample grew between two snapshots (absent counts as 0). */
export function delta(before: Map<string, number>, after: Map<string, number>, name: string, labels: Readonly<Record<string, string | number>> = {}): number {
  const k = key(name, labels);
  return (after.get(k) ?? 0) - (before.get(k) ?? 0);
}

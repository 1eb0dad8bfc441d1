/** `name{labels}` key of `snapshot()` for a sample. */
export function key(name: string, labels: Readonly<Record<string, string | number>> = {}): string {
  return `${name}{${Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`).join(',')}}`;
}

/**
 * How much a sample grew between two snapshots. A series absent from a snapshot counts as 0 (a
 * labelled series appears on first use), but a sample NAME that neither snapshot has at all throws:
 * a misspelt name must fail a "did not move" assertion, not pass it with 0.
 */
export function delta(before: Map<string, number>, after: Map<string, number>, name: string, labels: Readonly<Record<string, string | number>> = {}): number {
  if (!hasSampleName(after, name) && !hasSampleName(before, name)) {
    throw new Error(`no sample named ${name} in either snapshot (misspelt, or the family is not registered)`);
  }
  const k = key(name, labels);
  return (after.get(k) ?? 0) - (before.get(k) ?? 0);
}

function hasSampleName(snapshot: Map<string, number>, name: string): boolean {
  const prefix = `${name}{`;
  for (const k of snapshot.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

/** The median of `values` (mean of the two middle ones for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** `n` formatted with `digits` decimals, or `–` for NaN. */
export function fixed(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–';
}

/** A signed difference, e.g. `+3.2` or `−1.0`. */
export function signed(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return '–';
  return `${n >= 0 ? '+' : '−'}${fixed(Math.abs(n), digits)}`;
}

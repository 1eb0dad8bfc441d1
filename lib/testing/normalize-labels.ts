import type { MetricLabels } from './metric-labels.js';

/** A label value as the text exposition writes it. @internal */
export function labelValueToString(value: string | number): string {
  if (typeof value === 'string') return value;
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Labels with string values, keys in their original order, frozen. @internal */
export function normalizeLabels(labels: MetricLabels | Readonly<Record<string, string | number | undefined>>): Readonly<Record<string, string>> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (value !== undefined) normalized[name] = labelValueToString(value);
  }
  return Object.freeze(normalized);
}

/** Exact label match: same names, same values. @internal */
export function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

import type { MetricSample } from './metric-labels.js';

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `{a="1",b="2"}`, or `` for no labels, as in the text exposition. @internal */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

/** `name{a="1"}`: one series, as in the text exposition. @internal */
export function formatSeries(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}${formatLabels(labels)}`;
}

/** A value as the exposition writes it (`+Inf`, `NaN`), or `absent`. @internal */
export function formatValue(value: number | undefined): string {
  if (value === undefined) return 'absent';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/** Every series of a sample name, one per line, indented; `(no series)` when empty. @internal */
export function formatVector(name: string, vector: ReadonlyArray<MetricSample>): string {
  if (vector.length === 0) return '    (no series)';
  return vector.map((sample) => `    ${formatSeries(name, sample.labels)} ${formatValue(sample.value)}`).join('\n');
}

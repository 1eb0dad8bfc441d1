/**
 * Text-format 0.0.4 building blocks, written to produce exactly the bytes prom-client's
 * `Registry.metrics()` produces for the same input (including its quirks, such as `Nan`).
 * @internal
 */

const NEEDS_ESCAPE = /[\\\n"]/;

/** Escapes a metric name or help text: backslash and newline. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Escapes a label value; non-string values are written as JavaScript stringifies them. */
export function escapeLabelValue(value: unknown): string {
  if (typeof value !== 'string') return `${value as string}`;
  if (!NEEDS_ESCAPE.test(value)) return value;
  return escapeText(value).replace(/"/g, '\\"');
}

/** A sample value as the text format writes it. */
export function formatSampleValue(value: unknown): string {
  if (Number.isNaN(value)) return 'Nan';
  if (typeof value === 'number' && !Number.isFinite(value)) return value < 0 ? '-Inf' : '+Inf';
  return `${value as string}`;
}

/** `name="value",…` for every own key of `labels` not in `exclude`, in insertion order. */
export function formatLabelPairs(labels: Readonly<Record<string, unknown>>, exclude?: Readonly<Record<string, unknown>>): string {
  let pairs = '';
  for (const name of Object.keys(labels)) {
    if (exclude !== undefined && Object.prototype.hasOwnProperty.call(exclude, name)) continue;
    pairs += `${pairs === '' ? '' : ','}${name}="${escapeLabelValue(labels[name])}"`;
  }
  return pairs;
}

/** Joins non-empty label-pair groups into `{…}`, or `''` when there are none. */
export function braceLabels(...groups: string[]): string {
  let joined = '';
  for (const group of groups) if (group !== '') joined += `${joined === '' ? '' : ','}${group}`;
  return joined === '' ? '' : `{${joined}}`;
}

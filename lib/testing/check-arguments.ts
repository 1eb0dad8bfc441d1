import { Registry } from 'prom-client';
import type { MetricLabels } from './metric-labels.js';
import { normalizeLabels } from './normalize-labels.js';

/** Fails fast on a call that could never match, e.g. a registry passed where labels belong. @internal */
export function checkName(helper: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`${helper}: the metric name must be a non-empty string, got ${typeof name === 'string' ? '""' : typeof name}`);
  }
}

/** Checks the name and labels arguments and returns the labels with string values. @internal */
export function checkLabels(helper: string, name: unknown, labels: unknown): Readonly<Record<string, string>> {
  checkName(helper, name);
  if (labels instanceof Registry) {
    throw new TypeError(`${helper}: got a Registry where the labels belong; pass labels first, e.g. ${helper}(…, '${name}', {}, registry)`);
  }
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new TypeError(`${helper}: labels must be an object such as { method: 'GET' }`);
  }
  for (const [label, value] of Object.entries(labels)) {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TypeError(`${helper}: label ${label} of ${name} must be a string or a number, got ${typeof value}`);
    }
  }
  return normalizeLabels(labels as MetricLabels);
}

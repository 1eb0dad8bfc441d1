import type { Registry, RegistryContentType } from 'prom-client';
import { formatValue } from './format-series.js';
import type { FrozenRegistry } from './frozen-registry.js';
import type { MetricLabels } from './metric-labels.js';
import { describeVector, fail } from './metric-assertion.js';
import { readChange } from './read-change.js';
import { sameChange } from './same-number.js';

/**
 * Asserts that the series `name{labels}` changed by `expectedDiff` since `frozen` was taken.
 * A series absent from the snapshot (or now) counts as 0, so the first request that creates a
 * labelled series is a change of 1. The failure message gives the value before and after.
 * @param frozen a snapshot from `saveRegistry()`
 * @param labels every label of the series (exact match). @default {}
 * @param registry the registry under test. @default the registry `frozen` was taken from
 * @example
 * const before = await saveRegistry(registry);
 * await fetch(`${url}/items`);
 * await assertMetricDiff(before, 1, 'nestjs_http_requests_total_by_method_total', { method: 'GET' });
 */
export async function assertMetricDiff(
  frozen: FrozenRegistry,
  expectedDiff: number,
  name: string,
  labels: MetricLabels = {},
  registry?: Registry<RegistryContentType>,
): Promise<void> {
  const change = await readChange('assertMetricDiff', frozen, name, labels, registry);
  const diff = change.after - change.before;
  if (sameChange(diff, expectedDiff, change.before, change.after)) return;
  fail(
    change.helper,
    `${change.series} changed by ${formatValue(diff)}, expected a change of ${formatValue(expectedDiff)}\n${change.beforeAfter}\n${describeVector(name, change.samples)}`,
    diff,
    expectedDiff,
  );
}

import type { Registry, RegistryContentType } from 'prom-client';
import { formatValue } from './format-series.js';
import type { FrozenRegistry } from './frozen-registry.js';
import type { MetricLabels } from './metric-labels.js';
import { describeVector, fail } from './metric-assertion.js';
import { readChange } from './read-change.js';
import { sameNumber } from './same-number.js';

/**
 * Asserts that the series `name{labels}` has the same value as when `frozen` was taken (an
 * absent series counts as 0). This is what the name says; django-prometheus's
 * `assert_metric_no_diff(frozen, expected_diff, …)` only checked that the change was not
 * `expected_diff`, so any other change passed.
 * @param frozen a snapshot from `saveRegistry()`
 * @param labels every label of the series (exact match). @default {}
 * @param registry the registry under test. @default the registry `frozen` was taken from
 * @example await assertMetricNoDiff(before, 'nestjs_http_requests_total_by_method_total', { method: 'POST' })
 */
export async function assertMetricNoDiff(frozen: FrozenRegistry, name: string, labels: MetricLabels = {}, registry?: Registry<RegistryContentType>): Promise<void> {
  const change = await readChange('assertMetricNoDiff', frozen, name, labels, registry);
  if (sameNumber(change.after, change.before)) return;
  fail(
    change.helper,
    `${change.series} changed by ${formatValue(change.after - change.before)}, expected no change\n${change.beforeAfter}\n${describeVector(name, change.samples)}`,
    change.after,
    change.before,
  );
}

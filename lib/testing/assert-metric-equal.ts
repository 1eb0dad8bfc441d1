import { register as globalRegistry, type Registry, type RegistryContentType } from 'prom-client';
import { formatValue } from './format-series.js';
import type { MetricLabels } from './metric-labels.js';
import { describeVector, fail, readSeriesUnderTest } from './metric-assertion.js';
import { sameNumber } from './same-number.js';

/**
 * Asserts that the series `name{labels}` exists and its value is `expected`; throws an
 * `AssertionError` naming the series, the expected and the actual value and every series of `name`.
 * @param labels every label of the series (exact match). @default {}
 * @param registry @default prom-client's global `register`
 * @example await assertMetricEqual(1, 'orders_total', { kind: 'book' }, registry)
 */
export async function assertMetricEqual(expected: number, name: string, labels: MetricLabels = {}, registry: Registry<RegistryContentType> = globalRegistry): Promise<void> {
  const read = await readSeriesUnderTest('assertMetricEqual', name, labels, registry);
  if (read.value !== undefined && sameNumber(read.value, expected)) return;
  fail(read.helper, `${read.series} is ${formatValue(read.value)}, expected ${formatValue(expected)}\n${describeVector(name, read.samples)}`, read.value, expected);
}

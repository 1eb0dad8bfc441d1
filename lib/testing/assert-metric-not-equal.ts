import { register as globalRegistry, type Registry, type RegistryContentType } from 'prom-client';
import { formatValue } from './format-series.js';
import type { MetricLabels } from './metric-labels.js';
import { describeVector, fail, readSeriesUnderTest } from './metric-assertion.js';
import { sameNumber } from './same-number.js';

/**
 * Asserts that the series `name{labels}` exists and its value is not `unexpected`. Unlike
 * django-prometheus, an absent series fails: "not equal" says something about a value, and there
 * is none.
 * @param labels every label of the series (exact match). @default {}
 * @param registry @default prom-client's global `register`
 */
export async function assertMetricNotEqual(unexpected: number, name: string, labels: MetricLabels = {}, registry: Registry<RegistryContentType> = globalRegistry): Promise<void> {
  const read = await readSeriesUnderTest('assertMetricNotEqual', name, labels, registry);
  if (read.value !== undefined && !sameNumber(read.value, unexpected)) return;
  const problem = read.value === undefined ? 'is absent' : `is ${formatValue(read.value)}`;
  fail(read.helper, `${read.series} ${problem}, expected a value other than ${formatValue(unexpected)}\n${describeVector(name, read.samples)}`, read.value, unexpected);
}

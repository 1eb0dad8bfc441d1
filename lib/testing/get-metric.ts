import { register as globalRegistry, type Registry, type RegistryContentType } from 'prom-client';
import { collectSamples } from './collect-samples.js';
import type { MetricLabels } from './metric-labels.js';
import { checkLabels } from './check-arguments.js';

/**
 * The current value of the series `name{labels}`, or `undefined` when the registry has no series
 * with exactly these labels. `name` is a sample name as a scraper sees it: `x_total`, `x_bucket`
 * (with an `le` label), `x_sum`, `x_count`.
 * @param labels every label of the series (exact match). @default {}
 * @param registry @default prom-client's global `register`
 * @example await getMetric('nestjs_http_requests_total_by_method_total', { method: 'GET' }, registry)
 */
export async function getMetric(name: string, labels: MetricLabels = {}, registry: Registry<RegistryContentType> = globalRegistry): Promise<number | undefined> {
  const normalized = checkLabels('getMetric', name, labels);
  return (await collectSamples(registry)).value(name, normalized);
}

import { register as globalRegistry, type Registry, type RegistryContentType } from 'prom-client';
import { collectSamples } from './collect-samples.js';
import { checkName } from './check-arguments.js';
import type { MetricSample } from './metric-labels.js';

/**
 * Every series of the sample name `name`, `{ labels, value }` each (label values as strings),
 * in registry order; empty when there is none.
 * @param registry @default prom-client's global `register`
 * @example await getMetricsVector('nestjs_http_responses_total_by_status_total', registry)
 */
export async function getMetricsVector(name: string, registry: Registry<RegistryContentType> = globalRegistry): Promise<MetricSample[]> {
  checkName('getMetricsVector', name);
  return [...(await collectSamples(registry)).vector(name)];
}

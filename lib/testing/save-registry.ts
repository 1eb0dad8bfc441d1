import { register as globalRegistry, type Registry, type RegistryContentType } from 'prom-client';
import { collectSamples } from './collect-samples.js';
import { FrozenRegistry } from './frozen-registry.js';

/**
 * Takes a deep, immutable snapshot of `registry`, to assert later how a metric changed
 * (`assertMetricDiff`, `assertMetricNoDiff`, `assertMetricCompare`) instead of its absolute value.
 * @param registry the registry to snapshot. @default prom-client's global `register`
 * @example
 * const before = await saveRegistry(registry);
 * await fetch(`${url}/items`);
 * await assertMetricDiff(before, 1, 'nestjs_http_requests_total_by_method_total', { method: 'GET' });
 */
export async function saveRegistry(registry: Registry<RegistryContentType> = globalRegistry): Promise<FrozenRegistry> {
  return new FrozenRegistry(registry, await collectSamples(registry));
}

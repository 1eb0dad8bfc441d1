import type { Registry } from 'prom-client';
import type { MetricsExposition } from './metrics-exposition.service.js';

/** Produces what one scrape returns. */
export type MetricsSource = () => Promise<MetricsExposition>;

/** A source that renders `registry`. @internal */
export function registrySource(registry: Registry): MetricsSource {
  return async () => ({ contentType: registry.contentType, body: await registry.metrics() });
}

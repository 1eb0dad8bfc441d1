import type { Registry } from 'prom-client';
import type { MetricsExposition } from './metrics-exposition.service.js';
import { renderRegistry } from './render-registry.js';

/** Produces what one scrape returns. */
export type MetricsSource = () => Promise<MetricsExposition>;

/** A source that renders `registry` in slices (`renderRegistry`), so a scrape never blocks the event loop for long. @internal */
export function registrySource(registry: Registry): MetricsSource {
  return async () => ({ contentType: registry.contentType, body: await renderRegistry(registry) });
}

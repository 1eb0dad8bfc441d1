import type { Registry } from 'prom-client';
import type { MetricsExposition, StreamedMetricsExposition } from './metrics-exposition.service.js';
import { renderRegistryChunks } from './render-registry.js';

/**
 * Produces what one scrape returns: the whole body as a string, or (for large expositions) its
 * chunks as they are rendered, which the exporter writes to the response as they come.
 */
export type MetricsSource = () => Promise<MetricsExposition | StreamedMetricsExposition>;

/** A source that renders `registry` in slices and hands the text out in chunks (`renderRegistryChunks`). @internal */
export function registrySource(registry: Registry): MetricsSource {
  return async () => ({ contentType: registry.contentType, chunks: renderRegistryChunks(registry) });
}

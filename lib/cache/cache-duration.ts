import { Histogram, type Registry } from 'prom-client';
import { getOrCreateMetric } from '../registry/get-or-create-metric.js';

/**
 * Upper bounds (seconds) of the optional read-duration histogram: from 50 µs (an in-process store)
 * to 2.5 s (a remote store in trouble). The HTTP latency buckets start at 10 ms, too coarse here.
 */
export const CACHE_DURATION_BUCKETS: ReadonlyArray<number> = Object.freeze([
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
]);

/** Observes the duration of one cache's reads, already labelled with its backend. @internal */
export type CacheDurationObserver = (seconds: number) => void;

/**
 * The `nestjs_cache_get_duration_seconds` histogram (label `backend`) of `registry`/`namespace`,
 * registered on first use, as an observer bound to `backend`.
 * @internal
 */
export function cacheDurationObserver(registry: Registry, namespace: string, backend: string): CacheDurationObserver {
  const name = namespace === '' ? 'nestjs_cache_get_duration_seconds' : `${namespace}_nestjs_cache_get_duration_seconds`;
  const histogram = getOrCreateMetric(registry, Histogram, {
    name,
    help: 'Duration of cache reads (get, mget) in seconds, errors included.',
    labelNames: ['backend'],
    buckets: [...CACHE_DURATION_BUCKETS],
  }) as Histogram<'backend'>;
  const labels = { backend };
  histogram.zero(labels);
  return (seconds) => histogram.observe(labels, seconds);
}

import { Logger } from '@nestjs/common';
import type { Metric, Registry } from 'prom-client';
import { registerStoreFamilies, sameBuckets, storeFor } from '../registry/store-families.js';
import { HTTP_METRIC_FAMILIES } from './http-metric-families.js';
import { HttpMetricsStore } from './http-metrics.store.js';
import { StoreBackedMetric } from './store-backed.metric.js';

/**
 * Returns the HTTP store of `registry` and `namespace`, creating it and registering its 19 metrics
 * on first use. Idempotent: a second module or a second app on the same registry gets the same
 * store, so the counts of all apps add up in one set of series and nothing is registered twice.
 * Metrics removed by `registry.clear()` are registered again.
 * @internal
 */
export function ensureHttpMetrics(registry: Registry, namespace: string, latencyBuckets: ReadonlyArray<number>): HttpMetricsStore {
  const { store, created } = storeFor('http-stores:v1', registry, namespace, () => new HttpMetricsStore(latencyBuckets));
  if (!created && !sameBuckets(store.latencyBuckets, latencyBuckets)) {
    new Logger('PrometheusModule').warn(
      `HTTP latency buckets [${latencyBuckets.join(', ')}] ignored: this registry already has the HTTP metrics with buckets ` +
        `[${store.latencyBuckets.join(', ')}] (another module or app registered them first)`,
    );
  }
  registerStoreFamilies(
    registry,
    namespace,
    HTTP_METRIC_FAMILIES,
    (existing) => (existing as { store?: unknown }).store === store,
    (name, family) => new StoreBackedMetric(name, store, family) as unknown as Metric,
    '`http: false`',
  );
  return store;
}

import { Logger } from '@nestjs/common';
import type { Metric, Registry } from 'prom-client';
import { registerStoreFamilies, sameBuckets, storeFor } from '../registry/store-families.js';
import { DB_METRIC_FAMILIES } from './db-metric-families.js';
import { DbMetricsStore } from './db-metrics.store.js';
import { DbStoreMetric } from './db-store.metric.js';

/**
 * Returns the database store of `registry` and `namespace`, creating it and registering the six
 * families on first use. Idempotent: a second module, a second app or a manual `instrument*` call
 * on the same registry share the store; families removed by `registry.clear()` come back.
 * @internal
 */
export function ensureDbMetrics(registry: Registry, namespace: string, latencyBuckets: ReadonlyArray<number>): DbMetricsStore {
  const { store, created } = storeFor('db-stores:v1', registry, namespace, () => new DbMetricsStore(latencyBuckets));
  if (!created && !sameBuckets(store.latencyBuckets, latencyBuckets)) {
    new Logger('PrometheusModule').warn(
      `Database latency buckets [${latencyBuckets.join(', ')}] ignored: this registry already has the database metrics with buckets ` +
        `[${store.latencyBuckets.join(', ')}]`,
    );
  }
  registerStoreFamilies(
    registry,
    namespace,
    DB_METRIC_FAMILIES,
    (existing) => existing instanceof DbStoreMetric && existing.store === store,
    (name, family) => new DbStoreMetric(name, store, family) as unknown as Metric,
    '`database: false`',
  );
  return store;
}

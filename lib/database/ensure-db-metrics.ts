import { Logger } from '@nestjs/common';
import type { Metric, Registry } from 'prom-client';
import { DB_METRIC_FAMILIES } from './db-metric-families.js';
import { DbMetricsStore } from './db-metrics.store.js';
import { DbStoreMetric } from './db-store.metric.js';
import { processShared } from '../shared/process-shared.js';

const stores = processShared('db-stores:v1', () => new WeakMap<Registry, Map<string, DbMetricsStore>>());

/**
 * Returns the database store of `registry` and `namespace`, creating it and registering the six
 * families on first use. Idempotent: a second module, a second app or a manual `instrument*` call
 * on the same registry share the store; families removed by `registry.clear()` come back.
 * @internal
 */
export function ensureDbMetrics(registry: Registry, namespace: string, latencyBuckets: ReadonlyArray<number>): DbMetricsStore {
  let byNamespace = stores.get(registry);
  if (byNamespace === undefined) stores.set(registry, (byNamespace = new Map()));
  let store = byNamespace.get(namespace);
  if (store === undefined) {
    byNamespace.set(namespace, (store = new DbMetricsStore(latencyBuckets)));
  } else if (!sameBuckets(store.latencyBuckets, latencyBuckets)) {
    new Logger('PrometheusModule').warn(
      `Database latency buckets [${latencyBuckets.join(', ')}] ignored: this registry already has the database metrics with buckets ` +
        `[${store.latencyBuckets.join(', ')}]`,
    );
  }
  for (const family of DB_METRIC_FAMILIES) {
    const name = namespace === '' ? family.name : `${namespace}_${family.name}`;
    const existing = registry.getSingleMetric(name) as unknown;
    if (existing instanceof DbStoreMetric && existing.store === store) continue;
    if (existing !== undefined) {
      throw new Error(
        `nest-prometheus: metric "${name}" is already registered on this registry by other code; ` +
          'remove it, set another `namespace`, or turn database metrics off with `database: false`',
      );
    }
    registry.registerMetric(new DbStoreMetric(name, store, family) as unknown as Metric);
  }
  return store;
}

function sameBuckets(a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

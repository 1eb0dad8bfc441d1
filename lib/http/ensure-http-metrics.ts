import { Logger } from '@nestjs/common';
import type { Metric, Registry } from 'prom-client';
import { HTTP_METRIC_FAMILIES } from './http-metric-families.js';
import { HttpMetricsStore } from './http-metrics.store.js';
import { StoreBackedMetric } from './store-backed.metric.js';
import { processShared } from '../shared/process-shared.js';

/** Shared by the ESM and CommonJS copies, so that both find the store the other registered. */
const stores = processShared('http-stores:v1', () => new WeakMap<Registry, Map<string, HttpMetricsStore>>());

/**
 * Returns the HTTP store of `registry` and `namespace`, creating it and registering its 19 metrics
 * on first use. Idempotent: a second module or a second app on the same registry gets the same
 * store, so the counts of all apps add up in one set of series and nothing is registered twice.
 * Metrics removed by `registry.clear()` are registered again.
 * @internal
 */
export function ensureHttpMetrics(registry: Registry, namespace: string, latencyBuckets: ReadonlyArray<number>): HttpMetricsStore {
  let byNamespace = stores.get(registry);
  if (byNamespace === undefined) stores.set(registry, (byNamespace = new Map()));
  let store = byNamespace.get(namespace);
  if (store === undefined) {
    byNamespace.set(namespace, (store = new HttpMetricsStore(latencyBuckets)));
  } else if (!sameBuckets(store.latencyBuckets, latencyBuckets)) {
    new Logger('PrometheusModule').warn(
      `HTTP latency buckets [${latencyBuckets.join(', ')}] ignored: this registry already has the HTTP metrics with buckets ` +
        `[${store.latencyBuckets.join(', ')}] (another module or app registered them first)`,
    );
  }
  for (const family of HTTP_METRIC_FAMILIES) {
    const name = namespace === '' ? family.name : `${namespace}_${family.name}`;
    const existing = registry.getSingleMetric(name) as unknown;
    if ((existing as { store?: unknown } | undefined)?.store === store) continue;
    if (existing !== undefined) {
      throw new Error(
        `nest-prometheus: metric "${name}" is already registered on this registry by other code; ` +
          'remove it, set another `namespace`, or turn HTTP metrics off with `http: false`',
      );
    }
    registry.registerMetric(new StoreBackedMetric(name, store, family) as unknown as Metric);
  }
  return store;
}

function sameBuckets(a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

import { Counter, type Registry } from 'prom-client';
import { CacheMetricsStore, type CacheTally } from './cache-metrics.store.js';
import { processShared } from '../shared/process-shared.js';

interface CacheFamily {
  readonly name: string;
  readonly help: string;
  readonly read: (tally: CacheTally) => number;
}

/** SPEC §4.4 (prom-client 15 exposes a counter under the name it is given). */
const CACHE_FAMILIES: ReadonlyArray<CacheFamily> = [
  { name: 'nestjs_cache_get_total', help: 'Cache reads (every key of a multi-key read counts once).', read: (t) => t.total },
  { name: 'nestjs_cache_get_hits_total', help: 'Cache reads that found a value.', read: (t) => t.hits },
  { name: 'nestjs_cache_get_misses_total', help: 'Cache reads that found nothing.', read: (t) => t.misses },
  { name: 'nestjs_cache_get_fail_total', help: 'Cache reads that failed (the store threw).', read: (t) => t.fails },
];

const stores = processShared('cache-stores:v1', () => new WeakMap<Registry, Map<string, CacheMetricsStore>>());
/** Counters this file created, and the store each one reads. */
const owners = processShared('cache-store-owners:v1', () => new WeakMap<object, CacheMetricsStore>());

/**
 * Returns the cache counts of `registry` and `namespace`, registering the four counters on first use.
 * Idempotent: every app and every cache on the same registry share one store; counters removed by
 * `registry.clear()` are registered again (and go on from the counts so far).
 * @internal
 */
export function ensureCacheMetrics(registry: Registry, namespace: string): CacheMetricsStore {
  let byNamespace = stores.get(registry);
  if (byNamespace === undefined) stores.set(registry, (byNamespace = new Map()));
  let store = byNamespace.get(namespace);
  if (store === undefined) byNamespace.set(namespace, (store = new CacheMetricsStore()));
  for (const family of CACHE_FAMILIES) {
    const name = namespace === '' ? family.name : `${namespace}_${family.name}`;
    const existing = registry.getSingleMetric(name);
    if (existing !== undefined && owners.get(existing) === store) continue;
    if (existing !== undefined) {
      throw new Error(
        `nest-prometheus: metric "${name}" is already registered on this registry by other code; ` +
          'remove it, set another `namespace`, or turn cache metrics off with `cache: false`',
      );
    }
    owners.set(createCounter(registry, name, family, store), store);
  }
  return store;
}

function createCounter(registry: Registry, name: string, family: CacheFamily, store: CacheMetricsStore): Counter<'backend'> {
  return new Counter({
    name,
    help: family.help,
    labelNames: ['backend'],
    registers: [registry],
    collect(this: Counter<'backend'>) {
      this.reset();
      for (const [backend, tally] of store.tallies) this.inc({ backend }, family.read(tally));
    },
  });
}

import { Counter, type Registry } from 'prom-client';
import { CacheMetricsStore, type CacheTally } from './cache-metrics.store.js';
import { registerStoreFamilies, storeFor } from '../registry/store-families.js';
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

/** Counters this file created, and the store each one reads. */
const owners = processShared('cache-store-owners:v1', () => new WeakMap<object, CacheMetricsStore>());

/**
 * Returns the cache counts of `registry` and `namespace`, registering the four counters on first use.
 * Idempotent: every app and every cache on the same registry share one store; counters removed by
 * `registry.clear()` are registered again (and go on from the counts so far).
 * @internal
 */
export function ensureCacheMetrics(registry: Registry, namespace: string): CacheMetricsStore {
  const { store } = storeFor('cache-stores:v1', registry, namespace, () => new CacheMetricsStore());
  registerStoreFamilies(
    registry,
    namespace,
    CACHE_FAMILIES,
    (existing) => owners.get(existing as object) === store,
    (name, family) => {
      const counter = createCounter(name, family, store);
      owners.set(counter, store);
      return counter;
    },
    '`cache: false`',
  );
  return store;
}

/** A counter read from `store` at scrape time; `registerStoreFamilies` registers it. */
function createCounter(name: string, family: CacheFamily, store: CacheMetricsStore): Counter<'backend'> {
  return new Counter({
    name,
    help: family.help,
    labelNames: ['backend'],
    registers: [],
    collect(this: Counter<'backend'>) {
      this.reset();
      for (const [backend, tally] of store.tallies) this.inc({ backend }, family.read(tally));
    },
  });
}

/** Adapter class names whose label is not simply the name without `Keyv`. */
const KNOWN: Readonly<Record<string, string>> = {
  memcache: 'memcached',
  cacheablememory: 'memory',
  lrucache: 'memory',
  lru: 'memory',
  map: 'memory',
};

/**
 * The `backend` label of a cache from its stores (cache-manager 7: Keyv instances, first tier
 * first), duck-typed: a Keyv's adapter is `store.store` (or `store.opts.store`); a `Map` is
 * `memory`; otherwise the adapter's class name without its `Keyv` prefix, lower-cased
 * (`KeyvRedis` → `redis`, `KeyvMemcache` → `memcached`, `KeyvMongo` → `mongo`). Several tiers are
 * joined with `+` in tier order (`memory+redis`), repeated names once. No stores → `other`.
 * @internal
 */
export function detectCacheBackend(stores: ReadonlyArray<unknown> | undefined): string {
  if (!Array.isArray(stores) || stores.length === 0) return 'other';
  const names: string[] = [];
  for (const store of stores) {
    const name = storeBackend(store);
    if (!names.includes(name)) names.push(name);
  }
  return names.join('+');
}

function storeBackend(store: unknown): string {
  const adapter = keyvAdapter(store) ?? store;
  if (adapter instanceof Map) return 'memory';
  return classLabel(adapter) ?? 'other';
}

/** The storage adapter of a Keyv instance, or undefined when `store` does not look like one. @internal */
export function keyvAdapter(store: unknown): object | undefined {
  if (typeof store !== 'object' || store === null) return undefined;
  const candidate = readProperty(store, 'store') ?? readProperty(readProperty(store, 'opts'), 'store');
  if (typeof candidate !== 'object' || candidate === null || candidate === store) return undefined;
  return typeof (candidate as { get?: unknown }).get === 'function' ? candidate : undefined;
}

function readProperty(target: unknown, key: string): unknown {
  if (typeof target !== 'object' || target === null) return undefined;
  try {
    return (target as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function classLabel(adapter: unknown): string | undefined {
  if (typeof adapter !== 'object' || adapter === null) return undefined;
  const raw = (adapter as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof raw !== 'string' || raw === '' || raw === 'Object') return undefined;
  const name = raw.replace(/^Keyv/, '').toLowerCase().replace(/[^a-z0-9_]/g, '');
  if (name === '') return undefined;
  return KNOWN[name] ?? name;
}

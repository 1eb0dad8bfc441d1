import KeyvMemcache from '@keyv/memcache';
import KeyvRedis, { createKeyv } from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import { randomUUID } from 'node:crypto';

/** A cache-manager cache on one real store, with a key namespace of its own (the servers are shared). */
export interface StoreCase {
  readonly backend: 'memory' | 'redis' | 'memcached';
  /** `[name, port]` of the server it needs, if any. */
  readonly service?: readonly [string, number];
  create(): Cache;
}

const unique = () => `np-cache-test-${randomUUID().slice(0, 8)}`;

export const STORE_CASES: ReadonlyArray<StoreCase> = [
  { backend: 'memory', create: () => createCache() },
  { backend: 'redis', service: ['Redis', 6379], create: () => createCache({ stores: [createKeyv('redis://127.0.0.1:6379', { namespace: unique() })] }) },
  {
    backend: 'memcached',
    service: ['memcached', 11211],
    create: () => createCache({ stores: [new Keyv({ store: new KeyvMemcache('127.0.0.1:11211'), namespace: unique() })] }),
  },
];

/**
 * A Redis store on a port nothing listens on. Without `reconnectStrategy: false` the Redis client
 * retries the connection forever and a read waits for it instead of failing.
 */
export function closedRedisCache(variant: ClosedRedisVariant): Cache {
  const adapter = new KeyvRedis({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
  const keyv = new Keyv(adapter, { useKeyPrefix: false, throwOnErrors: variant === 'keyv throws, cache-manager swallows' });
  keyv.on('error', () => {}); // connection errors are expected here
  return createCache({ stores: [keyv], nonBlocking: variant === 'cache-manager nonBlocking' });
}

/** Who swallows the store's error before the caller: Keyv (its default), cache-manager, or cache-manager in `nonBlocking` mode. */
export const CLOSED_REDIS_VARIANTS = ['Keyv swallows', 'keyv throws, cache-manager swallows', 'cache-manager nonBlocking'] as const;
export type ClosedRedisVariant = (typeof CLOSED_REDIS_VARIANTS)[number];

/** Disconnects every store; `@keyv/memcache` has no `disconnect`, its memjs client is quit directly. */
export async function closeCache(cache: Cache): Promise<void> {
  await cache.disconnect();
  for (const store of cache.stores) {
    const client = (store.store as { client?: { quit?: () => void } } | undefined)?.client;
    if (store.store instanceof KeyvMemcache) client?.quit?.();
  }
}

/** A memcached store on a port nothing listens on (memjs gives up after one short try). */
export function closedMemcachedCache(): Cache {
  const keyv = new Keyv({ store: new KeyvMemcache('127.0.0.1:1', { retries: 0, timeout: 0.2 }) });
  keyv.on('error', () => {}); // connection errors are expected here
  return createCache({ stores: [keyv] });
}

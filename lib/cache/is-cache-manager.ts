import type { CacheManagerLike } from './cache-manager-like.interface.js';

/**
 * Whether a provider instance looks like a cache-manager 7 cache (what `@nestjs/cache-manager`
 * registers under `CACHE_MANAGER`): `get`, `mget`, `set`, `del` and `wrap` functions and a `stores`
 * array. Duck-typed so that cache-manager is never imported.
 * @internal
 */
export function isCacheManager(instance: unknown): instance is CacheManagerLike {
  if (typeof instance !== 'object' || instance === null) return false;
  const candidate = instance as Record<string, unknown>;
  return (
    typeof candidate.get === 'function' &&
    typeof candidate.mget === 'function' &&
    typeof candidate.set === 'function' &&
    typeof candidate.del === 'function' &&
    typeof candidate.wrap === 'function' &&
    Array.isArray(candidate.stores)
  );
}

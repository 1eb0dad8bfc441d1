import type { CacheModuleOptions } from '@nestjs/cache-manager';

/**
 * cache-manager options from `CACHE_URL`: `memory` (default), `redis://…`, `memcached://…`.
 * Store adapters are imported only when their URL is used.
 */
export async function cacheOptions(url: string): Promise<CacheModuleOptions> {
  if (url === 'memory') return {};
  if (/^rediss?:\/\//.test(url)) {
    const { createKeyv } = await import('@keyv/redis');
    return { stores: [createKeyv(url)] };
  }
  if (url.startsWith('memcached://')) {
    const memcacheModule = '@keyv/memcache';
    const { default: KeyvMemcache } = (await import(memcacheModule).catch(() => {
      throw new Error('CACHE_URL memcached://… needs the package @keyv/memcache: npm install @keyv/memcache');
    })) as { default: new (uri: string) => object };
    const { Keyv } = await import('keyv');
    return { stores: [new Keyv({ store: new KeyvMemcache(url.slice('memcached://'.length)) })] };
  }
  throw new Error(`CACHE_URL is ${JSON.stringify(url)}; expected memory, redis://… or memcached://…`);
}

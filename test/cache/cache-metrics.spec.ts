import { instrumentCacheManager } from 'nest-prometheus';
import { assertMetricDiff, getMetric, saveRegistry } from 'nest-prometheus/testing';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { Counter, Registry } from 'prom-client';
import { checkService } from '../support/services.js';
import { CLOSED_REDIS_VARIANTS, closeCache, closedMemcachedCache, closedRedisCache, STORE_CASES } from './cache-stores.js';

const GET = 'nestjs_cache_get_total';
const HITS = 'nestjs_cache_get_hits_total';
const MISSES = 'nestjs_cache_get_misses_total';
const FAILS = 'nestjs_cache_get_fail_total';

async function assertDiffs(before: Awaited<ReturnType<typeof saveRegistry>>, backend: string, diffs: readonly [number, number, number, number]) {
  const [total, hits, misses, fails] = diffs;
  await assertMetricDiff(before, total, GET, { backend });
  await assertMetricDiff(before, hits, HITS, { backend });
  await assertMetricDiff(before, misses, MISSES, { backend });
  await assertMetricDiff(before, fails, FAILS, { backend });
}

// Modelled on django-prometheus's tests/end2end/testapp/test_caches.py, one suite per real store.
for (const store of STORE_CASES) {
  describe(`cache metrics on ${store.backend}`, async () => {
    const check = store.service ? await checkService(...store.service) : { skip: false as const };
    const skip = check.skip;
    const registry = new Registry();
    const cache = skip ? undefined : instrumentCacheManager(store.create(), { registry });
    after(async () => {
      if (cache) await closeCache(cache);
    });

    it(`labels the series backend="${store.backend}", all at 0 before any read; no duration histogram by default`, { skip }, async () => {
      for (const name of [GET, HITS, MISSES, FAILS]) assert.equal(await getMetric(name, { backend: store.backend }, registry), 0, name);
      assert.equal(registry.getSingleMetric('nestjs_cache_get_duration_seconds'), undefined);
    });

    it('get: foo1 twice (hits), foofoo twice, once "with a default" (misses) → +4 / +2 / +2', { skip }, async () => {
      const before = await saveRegistry(registry);
      await cache!.set('foo1', 'bar');
      assert.equal(await cache!.get('foo1'), 'bar');
      assert.equal(await cache!.get('foo1'), 'bar');
      assert.equal(await cache!.get('foofoo'), undefined);
      // cache-manager's get takes no default: the caller falls back itself, the read is still a miss
      assert.equal((await cache!.get<string>('foofoo')) ?? 'default', 'default');
      await assertDiffs(before, store.backend, [4, 2, 2, 0]);
    });

    it('mget of 3 keys, 1 present → +3 / +1 / +2', { skip }, async () => {
      await cache!.set('present', 1);
      const before = await saveRegistry(registry);
      assert.deepEqual(await cache!.mget(['present', 'absent1', 'absent2']), [1, undefined, undefined]);
      await assertDiffs(before, store.backend, [3, 1, 2, 0]);
    });

    it('wrap counts its one read: a miss that loads, then a hit', { skip }, async () => {
      const before = await saveRegistry(registry);
      let loads = 0;
      const load = async () => ++loads;
      assert.equal(await cache!.wrap('wrapped', load), 1);
      await assertDiffs(before, store.backend, [1, 0, 1, 0]);
      assert.equal(await cache!.wrap('wrapped', load), 1);
      await assertDiffs(before, store.backend, [2, 1, 1, 0]);
      assert.equal(loads, 1);
    });

    it('concurrent wraps of one key, coalesced by cache-manager into one read, count once; ttl() is not a read', { skip }, async () => {
      const before = await saveRegistry(registry);
      let loads = 0;
      const load = async () => ++loads;
      assert.deepEqual(await Promise.all([cache!.wrap('coalesced', load), cache!.wrap('coalesced', load)]), [1, 1]);
      await cache!.ttl('coalesced');
      await assertDiffs(before, store.backend, [1, 0, 1, 0]);
      assert.equal(loads, 1);
    });

    it('a stored null is a miss, a stored 0 or "" a hit', { skip }, async () => {
      await cache!.mset<unknown>([{ key: 'zero', value: 0 }, { key: 'empty', value: '' }, { key: 'null', value: null }]);
      const before = await saveRegistry(registry);
      assert.equal(await cache!.get('zero'), 0);
      assert.equal(await cache!.get('empty'), '');
      assert.equal(await cache!.get('null'), null);
      await assertDiffs(before, store.backend, [3, 2, 1, 0]);
    });

    it('durationHistogram: each get and mget timed once in nestjs_cache_get_duration_seconds, errors included; off again → no more', { skip }, async () => {
      instrumentCacheManager(cache!, { registry, durationHistogram: true });
      const before = await saveRegistry(registry);
      await cache!.get('foo1');
      await cache!.mget(['foo1', 'foofoo']);
      await cache!.wrap('foo1', async () => 'x'); // not timed: its duration would include the loader
      await assertMetricDiff(before, 2, 'nestjs_cache_get_duration_seconds_count', { backend: store.backend });
      await assertMetricDiff(before, 4, GET, { backend: store.backend });
      instrumentCacheManager(cache!, { registry });
      await cache!.get('foo1');
      await assertMetricDiff(before, 2, 'nestjs_cache_get_duration_seconds_count', { backend: store.backend });
      await assertMetricDiff(before, 5, GET, { backend: store.backend });
    });

    it('instrumenting the same cache again does not count twice', { skip }, async () => {
      assert.equal(instrumentCacheManager(cache!, { registry }), cache);
      const before = await saveRegistry(registry);
      await cache!.get('foo1');
      await assertDiffs(before, store.backend, [1, 1, 0, 0]);
    });
  });
}

describe('cache metrics when the store fails', async () => {
  const { skip } = await checkService('Redis', 6379); // the suite runs beside the Redis one; nothing listens on port 1

  for (const variant of CLOSED_REDIS_VARIANTS) {
    it(`a Redis store on a closed port (${variant}): get_fail_total +1; the caller sees what it sees without metrics`, { skip }, async () => {
      const registry = new Registry();
      const plain = closedRedisCache(variant);
      const instrumented = instrumentCacheManager(closedRedisCache(variant), { registry });
      const plainEvents: unknown[] = [];
      const seenEvents: unknown[] = [];
      plain.on('get', (event) => plainEvents.push(Object.keys(event).sort()));
      instrumented.on('get', (event) => seenEvents.push(Object.keys(event).sort()));
      try {
        const before = await saveRegistry(registry);
        const expected = await plain.get('foo1').then((value) => ({ value }), (error: unknown) => ({ error }));
        const actual = await instrumented.get('foo1').then((value) => ({ value }), (error: unknown) => ({ error }));
        assert.deepEqual(actual, expected);
        assert.deepEqual(seenEvents, plainEvents);
        await assertDiffs(before, 'redis', [1, 0, 0, 1]);
      } finally {
        await Promise.allSettled([plain.disconnect(), instrumented.disconnect()]);
      }
    });
  }

  it('a memcached store on a closed port: the get and both mget keys are fails; values as without metrics', async () => {
    const registry = new Registry();
    const plain = closedMemcachedCache();
    const instrumented = instrumentCacheManager(closedMemcachedCache(), { registry });
    try {
      const before = await saveRegistry(registry);
      assert.deepEqual(await instrumented.get('foo1'), await plain.get('foo1'));
      assert.deepEqual(await instrumented.mget(['foo1', 'foo2']), await plain.mget(['foo1', 'foo2']));
      await assertDiffs(before, 'memcached', [3, 0, 0, 3]);
    } finally {
      await Promise.all([closeCache(plain), closeCache(instrumented)]);
    }
  });

  it('a get that rejects: counted as a fail, and the caller gets the very same promise and error', async () => {
    const registry = new Registry();
    const error = new Error('store down');
    const rejecting = Promise.reject(error);
    rejecting.catch(() => {});
    const cache = { get: () => rejecting, stores: [] };
    instrumentCacheManager(cache, { registry, backend: 'custom' });
    const before = await saveRegistry(registry);
    const returned = cache.get();
    assert.equal(returned, rejecting);
    await assert.rejects(returned, (thrown) => thrown === error);
    await assertDiffs(before, 'custom', [1, 0, 0, 1]);
  });

  it('a get that throws synchronously: a fail, the same error object reaches the caller', async () => {
    const registry = new Registry();
    const error = new TypeError('bad key');
    const cache = {
      get(): unknown {
        throw error;
      },
    };
    instrumentCacheManager(cache, { registry, backend: 'custom' });
    const before = await saveRegistry(registry);
    assert.throws(() => cache.get(), (thrown) => thrown === error);
    await assertDiffs(before, 'custom', [1, 0, 0, 1]);
  });
});

describe('instrumentCacheManager options', () => {
  it('rejects what is not a cache, and a bad namespace or backend, naming the value', () => {
    assert.throws(() => instrumentCacheManager(42 as never), /needs a cache manager .* got number 42/);
    const cache = { get: async () => undefined };
    assert.throws(() => instrumentCacheManager(cache, { namespace: 'bad-ns' }), /option `namespace` is string "bad-ns"; expected/);
    assert.throws(() => instrumentCacheManager(cache, { backend: '' }), /option `backend` is string ""; expected a non-empty string/);
    assert.throws(() => instrumentCacheManager(cache, { durationHistogram: 'yes' as never }), /option `durationHistogram` is string "yes"; expected true or false/);
    const frozen = Object.freeze({ get: async () => undefined });
    assert.throws(() => instrumentCacheManager(frozen), /cannot wrap the methods of a frozen or sealed cache object/);
  });

  it('backend from the adapter class of any Keyv store (KeyvMongo → mongo); no stores → other', async () => {
    class KeyvMongo {
      private readonly data = new Map<string, unknown>();
      async get(key: string) { return this.data.get(key); }
      async set(key: string, value: unknown) { this.data.set(key, value); }
      async delete(key: string) { return this.data.delete(key); }
      async clear() { this.data.clear(); }
    }
    const registry = new Registry();
    const cache = instrumentCacheManager(createCache({ stores: [new Keyv({ store: new KeyvMongo() })] }), { registry });
    instrumentCacheManager({ get: async () => 1 }, { registry });
    await cache.set('k', 'v');
    assert.equal(await cache.get('k'), 'v');
    assert.equal(await getMetric(HITS, { backend: 'mongo' }, registry), 1);
    assert.equal(await getMetric(GET, { backend: 'other' }, registry), 0);
  });

  it('after registry.clear(), instrumenting again registers the counters again without "already registered"', async () => {
    const registry = new Registry();
    const cache = { get: async () => 1 };
    instrumentCacheManager(cache, { registry, backend: 'custom' });
    registry.clear();
    assert.equal(registry.getSingleMetric(GET), undefined);
    instrumentCacheManager(cache, { registry, backend: 'custom' });
    instrumentCacheManager(cache, { registry, backend: 'custom' });
    const before = await saveRegistry(registry);
    await cache.get();
    await assertMetricDiff(before, 1, HITS, { backend: 'custom' });
  });

  it('refuses a registry where another metric already has a cache metric name', () => {
    const registry = new Registry();
    new Counter({ name: GET, help: 'not ours', registers: [registry] });
    assert.throws(() => instrumentCacheManager({ get: async () => 1 }, { registry }), /"nestjs_cache_get_total" is already registered on this registry by other code/);
  });

  it('honours the namespace prefix and the backend override', async () => {
    const registry = new Registry();
    const cache = { get: async (key: string) => (key === 'a' ? 1 : undefined) };
    instrumentCacheManager(cache, { registry, namespace: 'shop', backend: 'edge' });
    const before = await saveRegistry(registry);
    await cache.get('a');
    await cache.get('b');
    await assertMetricDiff(before, 2, `shop_${GET}`, { backend: 'edge' });
    await assertMetricDiff(before, 1, `shop_${HITS}`, { backend: 'edge' });
    assert.equal(await getMetric(GET, { backend: 'edge' }, registry), undefined);
  });
});

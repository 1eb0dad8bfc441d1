import { CACHE_MANAGER, CacheModule, type Cache } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createKeyv } from '@keyv/redis';
import { createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { instrumentCacheManager, PrometheusModule } from 'nest-prometheus';
import { assertMetricDiff, getMetricsVector, saveRegistry } from 'nest-prometheus/testing';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { checkService } from '../support/services.js';

async function startApp(registry: Registry, cache: boolean, namespace?: string) {
  @Module({ imports: [PrometheusModule.forRoot({ registry, cache, namespace, defaultMetrics: false, http: false }), CacheModule.register()] })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return { app, cache: app.get<Cache>(CACHE_MANAGER) };
}

describe('the module and @nestjs/cache-manager', () => {
  it('finds CACHE_MANAGER at bootstrap and counts its reads (backend="memory")', async () => {
    const registry = new Registry();
    const { app, cache } = await startApp(registry, true);
    try {
      const before = await saveRegistry(registry);
      await cache.set('k', 'v');
      await cache.get('k');
      await cache.get('nope');
      await assertMetricDiff(before, 2, 'nestjs_cache_get_total', { backend: 'memory' });
      await assertMetricDiff(before, 1, 'nestjs_cache_get_hits_total', { backend: 'memory' });
      await assertMetricDiff(before, 1, 'nestjs_cache_get_misses_total', { backend: 'memory' });
    } finally {
      await app.close();
    }
  });

  it('honours the module namespace: shop_nestjs_cache_get_total', async () => {
    const registry = new Registry();
    const { app, cache } = await startApp(registry, true, 'shop');
    try {
      const before = await saveRegistry(registry);
      await cache.get('nope');
      await assertMetricDiff(before, 1, 'shop_nestjs_cache_get_total', { backend: 'memory' });
      await assertMetricDiff(before, 1, 'shop_nestjs_cache_get_misses_total', { backend: 'memory' });
      assert.deepEqual(await getMetricsVector('nestjs_cache_get_total', registry), []);
    } finally {
      await app.close();
    }
  });

  it('two apps on one registry: no "already registered", each cache counted once', async () => {
    const registry = new Registry();
    const first = await startApp(registry, true);
    const second = await startApp(registry, true);
    try {
      const before = await saveRegistry(registry);
      await first.cache.get('a');
      await second.cache.get('b');
      await assertMetricDiff(before, 2, 'nestjs_cache_get_total', { backend: 'memory' });
    } finally {
      await first.app.close();
      await second.app.close();
    }
  });

  it('a cache instrumented by hand keeps its options: the module leaves it alone', async () => {
    const registry = new Registry();
    const handMade = instrumentCacheManager(createCache(), { registry, backend: 'hand' });
    @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, http: false })], providers: [{ provide: 'APP_CACHE', useValue: handMade }] })
    class HandModule {}
    const moduleRef = await Test.createTestingModule({ imports: [HandModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      const before = await saveRegistry(registry);
      await handMade.get('x');
      await assertMetricDiff(before, 1, 'nestjs_cache_get_total', { backend: 'hand' });
      assert.deepEqual(await getMetricsVector('nestjs_cache_get_total', registry), [{ labels: { backend: 'hand' }, value: 1 }]);
    } finally {
      await app.close();
    }
  });

  it('cache: false → no cache series at all, and the cache still works', async () => {
    const registry = new Registry();
    const { app, cache } = await startApp(registry, false);
    try {
      await cache.set('k', 'v');
      assert.equal(await cache.get('k'), 'v');
      for (const name of ['nestjs_cache_get_total', 'nestjs_cache_get_hits_total', 'nestjs_cache_get_misses_total', 'nestjs_cache_get_fail_total']) {
        assert.deepEqual(await getMetricsVector(name, registry), [], name);
      }
      assert.ok((await registry.metrics()).indexOf('nestjs_cache') === -1);
    } finally {
      await app.close();
    }
  });
});

describe('tiered caches', async () => {
  const { skip } = await checkService('Redis', 6379);

  it('memory in front of Redis: one backend="memory+redis", one count per read whichever tier answers', { skip }, async () => {
    const registry = new Registry();
    const redis = createKeyv('redis://127.0.0.1:6379', { namespace: `np-tier-${randomUUID().slice(0, 8)}` });
    const cache = instrumentCacheManager(createCache({ stores: [new Keyv(), redis] }), { registry });
    try {
      await redis.set('only-in-redis', 'r');
      const before = await saveRegistry(registry);
      assert.equal(await cache.get('only-in-redis'), 'r'); // miss in memory, hit in Redis: one hit
      assert.equal(await cache.get('nowhere'), undefined); // read in both tiers: one miss
      assert.equal(await cache.wrap('w', async () => 'loaded'), 'loaded'); // both tiers miss: one miss
      assert.equal(await cache.wrap('only-in-redis', async () => 'loaded'), 'r'); // second tier hit
      assert.deepEqual(await cache.mget(['only-in-redis', 'nowhere']), ['r', undefined]);
      await assertMetricDiff(before, 6, 'nestjs_cache_get_total', { backend: 'memory+redis' });
      await assertMetricDiff(before, 3, 'nestjs_cache_get_hits_total', { backend: 'memory+redis' });
      await assertMetricDiff(before, 3, 'nestjs_cache_get_misses_total', { backend: 'memory+redis' });
    } finally {
      await cache.disconnect();
    }
  });
});

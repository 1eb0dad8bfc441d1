import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSample, type SampleProcess } from '../support/sample-process.js';
import { checkService } from '../support/services.js';

interface CacheVariant {
  readonly cacheUrl: string;
  readonly backend: string;
  readonly service?: readonly [string, number];
}

const VARIANTS: ReadonlyArray<CacheVariant> = [
  { cacheUrl: 'memory', backend: 'memory' },
  { cacheUrl: 'redis://127.0.0.1:6379', backend: 'redis', service: ['Redis', 6379] },
  { cacheUrl: 'memcached://127.0.0.1:11211', backend: 'memcached', service: ['memcached', 11211] },
];

const COUNTERS = ['nestjs_cache_get_total', 'nestjs_cache_get_hits_total', 'nestjs_cache_get_misses_total', 'nestjs_cache_get_fail_total'] as const;

/** The four cache counters of `backend` in an exposition text (undefined where a series is absent). */
function cacheCounts(exposition: string, backend: string): Record<(typeof COUNTERS)[number], number | undefined> {
  const read = (name: string) => {
    const line = exposition.split('\n').find((l) => l.startsWith(`${name}{backend="${backend}"} `));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  };
  return Object.fromEntries(COUNTERS.map((name) => [name, read(name)])) as Record<(typeof COUNTERS)[number], number | undefined>;
}

const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-sample-cache-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

for (const variant of VARIANTS) {
  describe(`sample app cache metrics (CACHE_URL=${variant.cacheUrl})`, async () => {
    const check = variant.service ? await checkService(...variant.service) : { skip: false as const };
    const skip = check.skip;
    let sample: SampleProcess;
    before(async () => {
      if (!skip) sample = await startSample({ CACHE_URL: variant.cacheUrl, DATABASE_URL: `sqlite:${join(scratch, `${variant.backend}.sqlite`)}` });
    });
    after(async () => {
      if (sample) assert.deepEqual(await sample.stop(), { code: null, signal: 'SIGTERM' }, sample.output());
    });
    const metrics = async () => cacheCounts(await (await fetch(`${sample.url}/metrics`)).text(), variant.backend);

    it(`PUT then GET /cache/:key (a hit) and a GET of a missing key (a miss) move backend="${variant.backend}"`, { skip }, async () => {
      const key = `np-sample-${randomUUID().slice(0, 8)}`;
      const start = await metrics();
      for (const name of COUNTERS) assert.equal(typeof start[name], 'number', `${name}{backend="${variant.backend}"} exists from startup`);
      const put = await fetch(`${sample.url}/cache/${key}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ value: { n: 1 } }),
      });
      assert.equal(put.status, 204);
      const hit = await fetch(`${sample.url}/cache/${key}`);
      assert.equal(hit.status, 200);
      assert.deepEqual(await hit.json(), { value: { n: 1 } });
      assert.equal((await fetch(`${sample.url}/cache/${key}-missing`)).status, 404);
      const end = await metrics();
      assert.deepEqual(
        COUNTERS.map((name) => end[name]! - start[name]!),
        [2, 1, 1, 0],
        `get/hits/misses/fail deltas for backend="${variant.backend}"`,
      );
    });
  });
}

describe('sample app with PROMETHEUS_CACHE_METRICS=false', () => {
  let sample: SampleProcess;
  before(async () => {
    sample = await startSample({ PROMETHEUS_CACHE_METRICS: 'false', DATABASE_URL: `sqlite:${join(scratch, 'off.sqlite')}` });
  });
  after(async () => {
    if (sample) assert.deepEqual(await sample.stop(), { code: null, signal: 'SIGTERM' }, sample.output());
  });

  it('serves the cache as before and exposes no nestjs_cache_* series', async () => {
    const key = `np-sample-off-${randomUUID().slice(0, 8)}`;
    const put = await fetch(`${sample.url}/cache/${key}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"value":1}' });
    assert.equal(put.status, 204);
    assert.equal((await fetch(`${sample.url}/cache/${key}`)).status, 200);
    const exposition = await (await fetch(`${sample.url}/metrics`)).text();
    assert.match(exposition, /^nestjs_http_requests_total_by_method_total\{method="GET"\} /m, 'the metrics endpoint answers with other series');
    assert.doesNotMatch(exposition, /nestjs_cache_/);
  });
});

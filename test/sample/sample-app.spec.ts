import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promlint } from '../support/promlint.js';
import { startSample, type SampleProcess } from '../support/sample-process.js';
import { checkService } from '../support/services.js';

interface Variant {
  readonly title: string;
  readonly env: Record<string, string>;
  readonly services: ReadonlyArray<readonly [name: string, port: number]>;
}

const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-sample-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const VARIANTS: ReadonlyArray<Variant> = [
  { title: 'express, embedded defaults', env: { DATABASE_URL: `sqlite:${join(scratch, 'express.sqlite')}` }, services: [] },
  { title: 'fastify, embedded defaults', env: { HTTP_ADAPTER: 'fastify', DATABASE_URL: `sqlite:${join(scratch, 'fastify.sqlite')}` }, services: [] },
  {
    title: 'express, PostgreSQL and Redis',
    env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test', CACHE_URL: 'redis://127.0.0.1:6379' },
    services: [['PostgreSQL', 5432], ['Redis', 6379]],
  },
  {
    title: 'fastify, MariaDB',
    env: { HTTP_ADAPTER: 'fastify', DATABASE_URL: 'mysql://root@127.0.0.1:3306/test' },
    services: [['MariaDB', 3306]],
  },
];

const json = { 'content-type': 'application/json' };

for (const variant of VARIANTS) {
  describe(`sample app (${variant.title})`, async () => {
    const checks = await Promise.all(variant.services.map(([name, port]) => checkService(name, port)));
    const skip = checks.find((c) => c.skip !== false)?.skip ?? false;
    let sample: SampleProcess;
    before(async () => {
      if (!skip) sample = await startSample(variant.env);
    });
    after(async () => {
      // Nest's shutdown hooks close the app, then re-raise the signal: ending by SIGTERM is the clean path.
      if (sample) assert.deepEqual(await sample.stop(), { code: null, signal: 'SIGTERM' }, sample.output());
    });
    const get = (path: string, init?: RequestInit) => fetch(`${sample.url}${path}`, init);

    it('GET / renders the template as text/html; charset=utf-8', { skip }, async () => {
      const res = await get('/');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(await res.text(), /<h1>nest-prometheus sample<\/h1>/);
    });

    it('GET /help, /slow (≥ 100 ms), /objection (500), /file (streamed)', { skip }, async () => {
      const help = await get('/help');
      assert.equal(help.status, 200);
      assert.ok(Array.isArray(((await help.json()) as { routes: unknown }).routes));
      const started = performance.now();
      const slow = await get('/slow');
      assert.equal(slow.status, 200);
      assert.ok(performance.now() - started >= 99, '/slow waits 100 ms before answering');
      assert.deepEqual(await slow.json(), { slept_ms: 100 });
      assert.equal((await get('/objection')).status, 500);
      const file = await get('/file');
      assert.equal(file.status, 200);
      assert.match(await file.text(), /^Lorem ipsum/);
    });

    it('GET /sql runs the query: rows, or 500 on an SQL error', { skip }, async () => {
      const rows = await get(`/sql?query=${encodeURIComponent('SELECT 1 AS one')}`);
      assert.equal(rows.status, 200);
      assert.equal(Number(((await rows.json()) as Array<{ one: unknown }>)[0]?.one), 1);
      assert.equal((await get(`/sql?query=${encodeURIComponent('SELEKT nonsense')}`)).status, 500);
    });

    it('POST /newlawn/:location inserts a lawn (the schema came from migrations)', { skip }, async () => {
      const res = await get('/newlawn/garden', { method: 'POST' });
      assert.equal(res.status, 201);
      const lawn = (await res.json()) as { id: number; location: string };
      assert.equal(lawn.location, 'garden');
      assert.ok(Number.isInteger(lawn.id));
    });

    it('POST, PATCH, DELETE /dogs; unknown id → 404', { skip }, async () => {
      const created = await get('/dogs', { method: 'POST', headers: json, body: JSON.stringify({ name: 'Rex', breed: 'lab', age: 3 }) });
      assert.equal(created.status, 201);
      const dog = (await created.json()) as { id: number; name: string; age: number };
      assert.equal(dog.name, 'Rex');
      const patched = await get(`/dogs/${dog.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ age: 4 }) });
      assert.equal(patched.status, 200);
      assert.deepEqual(await patched.json(), { id: dog.id, name: 'Rex', breed: 'lab', age: 4 });
      assert.equal((await get(`/dogs/${dog.id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await get(`/dogs/${dog.id}`, { method: 'DELETE' })).status, 404);
      assert.equal((await get(`/dogs/${dog.id}`, { method: 'PATCH', headers: json, body: '{}' })).status, 404);
    });

    it('PUT /cache/:key → 204; GET /cache/:key → 200 on a hit, 404 on a miss', { skip }, async () => {
      const key = `k${process.pid}${Date.now()}`;
      assert.equal((await get(`/cache/${key}`, { method: 'PUT', headers: json, body: JSON.stringify({ value: { n: 1 } }) })).status, 204);
      const hit = await get(`/cache/${key}`);
      assert.equal(hit.status, 200);
      assert.deepEqual(await hit.json(), { value: { n: 1 } });
      assert.equal((await get(`/cache/missing-${key}`)).status, 404);
    });

    it('GET /metrics serves an exposition promtool accepts, with the HTTP metrics of the requests above', { skip }, async (t) => {
      const res = await get('/metrics');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const body = await res.text();
      const lint = await promlint(body, t);
      assert.equal(lint.code, 0, lint.output);
      // the earlier tests of this process made exactly one request to each of these routes
      for (const line of [
        'nestjs_http_exceptions_total_by_type_total{type="ObjectionException"} 1',
        'nestjs_http_exceptions_total_by_view_total{view="PagesController.objection"} 1',
        'nestjs_http_responses_total_by_status_view_method_total{status="500",view="PagesController.objection",method="GET"} 1',
        'nestjs_http_responses_total_by_templatename_total{templatename="index"} 1',
        'nestjs_http_responses_total_by_status_view_method_total{status="201",view="LawnsController.create",method="POST"} 1',
        'nestjs_http_responses_total_by_status_view_method_total{status="204",view="DogsController.remove",method="DELETE"} 1',
        'nestjs_http_responses_total_by_status_view_method_total{status="404",view="DogsController.remove",method="DELETE"} 1',
        'nestjs_http_requests_latency_seconds_by_view_method_count{view="PagesController.slow",method="GET"} 1',
        'nestjs_http_requests_latency_seconds_by_view_method_bucket{view="PagesController.slow",method="GET",le="0.075"} 0',
      ]) {
        assert.ok(body.split('\n').includes(line), `missing: ${line}`);
      }
      assert.match(body, /^nestjs_http_responses_streaming_total [1-9]/m, '/file was streamed');
    });
  });
}

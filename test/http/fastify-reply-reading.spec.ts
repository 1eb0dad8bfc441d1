// What the Fastify hooks read from Fastify besides its public request and reply API, and what they
// do when it is not there: the latency from `reply.elapsedTime` (own clock otherwise), the request
// state in a slot declared with `decorateRequest`, the response headers from the reply's own header
// object (checked against `getHeader()` first).
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import { startApp, type StartedApp } from '../support/adapters.js';
import { httpTestModule } from './support/http-test-app.js';
import { changeSince } from './support/metric-values.js';

const P = 'nestjs_http_';

interface FastifyLike {
  addHook(name: 'onRequest' | 'onResponse', hook: (request: object, reply: object, done: () => void) => void): unknown;
  hasRequestDecorator(name: symbol): boolean;
}

describe('Fastify: what the hooks read, and their fallbacks', () => {
  const registry = new Registry();
  let app: StartedApp;
  const requestKeys: string[][] = [];

  before(async () => {
    app = await startApp(httpTestModule({ registry, defaultMetrics: false }), 'fastify', {
      configure: (a) => {
        const fastify = a.getHttpAdapter().getInstance() as FastifyLike;
        // A Fastify that does not measure its requests: every reply's elapsedTime reads 0, and the
        // package must fall back to its own clock.
        fastify.addHook('onRequest', (_request, reply, done) => {
          Object.defineProperty(reply, 'elapsedTime', { get: () => 0 });
          done();
        });
        fastify.addHook('onResponse', (request, _reply, done) => {
          requestKeys.push(Object.keys(request));
          done();
        });
      },
    });
  });
  after(() => app?.close());

  it('measures the latency with its own clock when reply.elapsedTime is unusable', async () => {
    const s0 = await saveRegistry(registry);
    const started = performance.now();
    await (await fetch(`${app.url}/slow`)).text();
    const clientSeconds = (performance.now() - started) / 1000;
    const name = `${P}requests_latency_including_middlewares_seconds`;
    await assertMetricDiff(s0, 1, `${name}_count`);
    const observed = await changeSince(s0, `${name}_sum`);
    assert.ok(observed >= 0.1 && observed <= clientSeconds, `observed ${observed}s, client saw ${clientSeconds}s`);
  });

  it('reads the response size and charset the route set', async () => {
    const s0 = await saveRegistry(registry);
    const res = await fetch(`${app.url}/help`);
    const body = await res.text();
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(body)));
    await assertMetricDiff(s0, Buffer.byteLength(body), `${P}responses_body_total_bytes_sum`);
    await assertMetricDiff(s0, 1, `${P}responses_total_by_charset_total`, { charset: 'utf-8' });
  });

  it('declares its request state on Fastify and leaves no string key of its own on requests', async () => {
    const fastify = app.app.getHttpAdapter().getInstance() as FastifyLike;
    assert.equal(fastify.hasRequestDecorator(Symbol.for('nest-prometheus:http-request-state')), true);
    await (await fetch(`${app.url}/help`)).text();
    assert.ok(requestKeys.length > 0, 'the test hook saw a request');
    for (const keys of requestKeys) assert.deepEqual(keys.filter((key) => /prometheus|metric/i.test(key)), []);
  });
});

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, get as httpGet, type IncomingMessage } from 'node:http';
import { connect as connectHttp2, constants as http2Constants } from 'node:http2';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Registry } from 'prom-client';
import { assertMetricDiff, assertMetricNoDiff, saveRegistry } from 'nest-prometheus/testing';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { hanging, httpTestModule, resetHanging } from './support/http-test-app.js';
import { allSeries, changeSince, waitFor } from './support/metric-values.js';

const P = 'nestjs_http_';

/** The app's routes with the hooks Fastify runs for each, as `printRoutes({ includeHooks: true })` lists them. */
function fastifyHooksOf(app: StartedApp): string {
  const fastify = app.app.getHttpAdapter().getInstance() as { printRoutes(options: object): string };
  return fastify.printRoutes({ includeHooks: true, commonPrefix: false });
}

for (const adapter of ADAPTERS) {
  describe(`http.countAbortedRequests: false (${adapter})`, () => {
    const registry = new Registry();
    let app: StartedApp;

    before(async () => {
      app = await startApp(httpTestModule({ registry, defaultMetrics: false, http: { countAbortedRequests: false } }), adapter);
    });
    after(() => app.close());

    it('leaves a request whose client went away out of every metric, and counts the next one', async () => {
      resetHanging();
      const s0 = await saveRegistry(registry);
      const controller = new AbortController();
      const pending = fetch(`${app.url}/hang`, { signal: controller.signal }).catch((e: unknown) => e);
      await hanging.entered.promise;
      controller.abort();
      assert.ok((await pending) instanceof Error);
      await hanging.closed.promise;
      // The hanging handler has returned (its connection closed) before the next request is sent:
      // an end of the aborted request, had it one, would have run before that one is answered.
      assert.equal((await fetch(`${app.url}/help`)).status, 200);
      await waitFor(async () => (await changeSince(s0, `${P}responses_before_middlewares_total`)) === 1, 'the request after it');
      await assertMetricDiff(s0, 1, `${P}requests_before_middlewares_total`);
      await assertMetricNoDiff(s0, `${P}requests_unknown_latency_including_middlewares_total`);
      await assertMetricNoDiff(s0, `${P}requests_unknown_latency_total`);
      assert.equal((await allSeries(registry)).some((series) => series.includes('TestController.hang')), false);
      await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.help', transport: 'http', method: 'GET' });
    });

    if (adapter === 'fastify') {
      it('adds no onRequestAbort hook on Fastify', () => {
        const hooks = fastifyHooksOf(app);
        assert.match(hooks, /onResponse/);
        assert.doesNotMatch(hooks, /onRequestAbort/);
      });
    }
  });
}

/** A request's number as the server receives it, for knowing that requests reached it. */
function countServerRequests(app: StartedApp): { seen: number; stop(): void } {
  const server = app.app.getHttpServer() as import('node:http').Server;
  const counter = { seen: 0, stop: () => server.off('request', listener) };
  const listener = (): void => void counter.seen++;
  server.on('request', listener);
  return counter;
}

for (const adapter of ADAPTERS) {
  describe(`http: requests in flight when their connection closes (${adapter})`, () => {
    const registry = new Registry();
    let app: StartedApp;

    before(async () => {
      app = await startApp(httpTestModule({ registry, defaultMetrics: false }), adapter);
    });
    after(() => app.close());

    it('counts every request in flight on a closed connection, pipelined ones included', async () => {
      resetHanging();
      const s0 = await saveRegistry(registry);
      const requests = countServerRequests(app);
      const { hostname, port } = new URL(app.url);
      const socket = connect(Number(port), hostname);
      await once(socket, 'connect');
      // Two requests in one write: the server takes the second while the first still hangs, and
      // holds the second's answer back until the first is answered (HTTP/1.1 answers in order).
      socket.write('GET /hang HTTP/1.1\r\nHost: t\r\n\r\nGET /help HTTP/1.1\r\nHost: t\r\n\r\n');
      await hanging.entered.promise;
      await waitFor(() => requests.seen === 2, 'both requests at the server');
      requests.stop();
      socket.destroy();
      await hanging.closed.promise;
      await waitFor(async () => (await changeSince(s0, `${P}requests_unknown_latency_including_middlewares_total`)) === 2, 'both requests ended');
      await assertMetricDiff(s0, 2, `${P}requests_before_middlewares_total`);
      await assertMetricNoDiff(s0, `${P}responses_before_middlewares_total`);
      for (const view of ['TestController.hang', 'TestController.help']) {
        await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view, transport: 'http', method: 'GET' });
      }
    });

    it('counts a request abandoned on a kept-alive connection once, and the answered one before it as answered', async () => {
      resetHanging();
      const s0 = await saveRegistry(registry);
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = httpGet(`${app.url}/help`, { agent });
        const [answered] = (await once(first, 'response')) as [IncomingMessage];
        answered.resume();
        await once(answered, 'end');
        const second = httpGet(`${app.url}/hang`, { agent });
        const failed = once(second, 'error');
        await hanging.entered.promise;
        assert.equal(second.reusedSocket, true, 'the second request went over the first one\'s connection');
        second.destroy();
        await failed;
        await hanging.closed.promise;
        await waitFor(async () => (await changeSince(s0, `${P}requests_unknown_latency_including_middlewares_total`)) === 1, 'the abandoned request');
      } finally {
        agent.destroy();
      }
      await assertMetricDiff(s0, 2, `${P}requests_before_middlewares_total`);
      await assertMetricDiff(s0, 1, `${P}responses_before_middlewares_total`);
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '200', view: 'TestController.help', method: 'GET' });
      await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.hang', transport: 'http', method: 'GET' });
    });
  });
}

describe('http.countAbortedRequests defaults to true (fastify)', () => {
  let app: StartedApp;
  before(async () => {
    app = await startApp(httpTestModule({ registry: new Registry(), defaultMetrics: false }), 'fastify');
  });
  after(() => app.close());

  it('counts requests whose client went away without an onRequestAbort hook (one close listener per connection)', () => {
    const hooks = fastifyHooksOf(app);
    assert.match(hooks, /onResponse/);
    assert.doesNotMatch(hooks, /onRequestAbort/);
  });
});

describe('http: a stream abandoned over HTTP/2 (fastify)', () => {
  const registry = new Registry();
  let app: StartedApp;
  before(async () => {
    // Over HTTP/2 a client can give up one stream and keep its connection: the close of the
    // connection says nothing, so the module uses Fastify's onRequestAbort hook there.
    const nest = await NestFactory.create(httpTestModule({ registry, defaultMetrics: false }) as never, new FastifyAdapter({ http2: true }), { logger: false, abortOnError: false });
    await nest.listen(0, '127.0.0.1');
    const { port } = nest.getHttpServer().address() as { port: number };
    app = { app: nest, url: `http://127.0.0.1:${port}`, close: () => nest.close() };
  });
  after(() => app.close());

  it('counts it once, with the connection still open, through an onRequestAbort hook', async () => {
    assert.match(fastifyHooksOf(app), /onRequestAbort/);
    resetHanging();
    const s0 = await saveRegistry(registry);
    const client = connectHttp2(app.url);
    try {
      const help = client.request({ ':path': '/help' });
      help.resume();
      await once(help, 'end');
      const stream = client.request({ ':path': '/hang' });
      stream.on('error', () => undefined);
      await hanging.entered.promise;
      stream.close(http2Constants.NGHTTP2_CANCEL);
      await hanging.closed.promise;
      await waitFor(async () => (await changeSince(s0, `${P}requests_unknown_latency_including_middlewares_total`)) === 1, 'the abandoned stream');
      assert.equal(client.closed || client.destroyed, false, 'the connection stayed open');
    } finally {
      client.close();
    }
    await assertMetricDiff(s0, 2, `${P}requests_before_middlewares_total`);
    await assertMetricDiff(s0, 1, `${P}responses_before_middlewares_total`);
    await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.hang', transport: 'http', method: 'GET' });
  });
});

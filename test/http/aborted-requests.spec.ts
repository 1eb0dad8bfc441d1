import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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
      it('adds no onRequestAbort hook on Fastify (the option is what saves its price)', () => {
        const hooks = fastifyHooksOf(app);
        assert.match(hooks, /onResponse/);
        assert.doesNotMatch(hooks, /onRequestAbort/);
      });
    }
  });
}

describe('http.countAbortedRequests defaults to true (fastify)', () => {
  let app: StartedApp;
  before(async () => {
    app = await startApp(httpTestModule({ registry: new Registry(), defaultMetrics: false }), 'fastify');
  });
  after(() => app.close());

  it('adds the onRequestAbort hook that counts requests whose client went away', () => {
    assert.match(fastifyHooksOf(app), /onRequestAbort/);
  });
});

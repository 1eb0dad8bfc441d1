import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { ADAPTERS, type StartedApp } from '../support/adapters.js';
import { promlint } from '../support/promlint.js';
import { hanging, httpTestModule, resetHanging, loadHandlebars, useTemplates } from './support/http-test-app.js';
import { hammer } from './support/hammer.js';
import { allSeries, changeSince, seriesWhere, waitFor } from './support/metric-values.js';
import { assertMetricDiff, assertMetricNoDiff, saveRegistry } from 'nest-prometheus/testing';
import { startApp as startHttpApp } from '../support/adapters.js';

const P = 'nestjs_http_';

for (const adapter of ADAPTERS) {
  describe(`HTTP metrics parity with django-prometheus (${adapter})`, () => {
    const registry = new Registry();
    let app: StartedApp;

    before(async () => {
      await loadHandlebars();
      app = await startHttpApp(httpTestModule({ registry, defaultMetrics: false }), adapter, {
        configure: (a) => useTemplates(a, adapter),
        trustProxy: true,
      });
    });
    after(() => app.close());

    const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${app.url}${path}`, init);

    it('counts N GETs and M POSTs exactly by method, transport, view, status', async () => {
      const N = 4;
      const M = 3;
      const body = JSON.stringify({ a: 'bcdef' }); // 13 bytes: bucket le=16
      const s0 = await saveRegistry(registry);
      for (let i = 0; i < N; i++) assert.equal((await get('/help')).status, 200);
      for (let i = 0; i < M; i++) {
        const res = await get('/help', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 201);
        await res.arrayBuffer();
      }
      const d = (name: string, labels: Record<string, string>, expected: number): Promise<void> => assertMetricDiff(s0, expected, P + name, labels);
      const none = (name: string): Promise<void> => assertMetricNoDiff(s0, P + name);
      await d('requests_before_middlewares_total', {}, N + M);
      await d('responses_before_middlewares_total', {}, N + M);
      await d('requests_latency_including_middlewares_seconds_count', {}, N + M);
      await d('requests_total_by_method_total', { method: 'GET' }, N);
      await d('requests_total_by_method_total', { method: 'POST' }, M);
      await d('requests_total_by_transport_total', { transport: 'http' }, N + M);
      await d('requests_total_by_view_transport_method_total', { view: 'TestController.help', transport: 'http', method: 'GET' }, N);
      await d('requests_total_by_view_transport_method_total', { view: 'TestController.postHelp', transport: 'http', method: 'POST' }, M);
      await d('responses_total_by_status_total', { status: '200' }, N);
      await d('responses_total_by_status_total', { status: '201' }, M);
      await d('responses_total_by_status_view_method_total', { status: '200', view: 'TestController.help', method: 'GET' }, N);
      await d('responses_total_by_status_view_method_total', { status: '201', view: 'TestController.postHelp', method: 'POST' }, M);
      await d('requests_latency_seconds_by_view_method_count', { view: 'TestController.help', method: 'GET' }, N);
      await d('requests_latency_seconds_by_view_method_count', { view: 'TestController.postHelp', method: 'POST' }, M);
      await none('requests_unknown_latency_total');
      await none('requests_unknown_latency_including_middlewares_total');
      // Request bodies: GETs have no Content-Length (0), the POST bodies are 13 bytes.
      await d('requests_body_total_bytes_bucket', { le: '0' }, N);
      await d('requests_body_total_bytes_bucket', { le: '8' }, N);
      await d('requests_body_total_bytes_bucket', { le: '16' }, N + M);
      await d('requests_body_total_bytes_sum', {}, 13 * M);
      // Response bodies: {"help":"me"} is 13 bytes, {"got":{"a":"bcdef"}} is 21.
      await d('responses_body_total_bytes_bucket', { le: '16' }, N);
      await d('responses_body_total_bytes_bucket', { le: '32' }, N + M);
      await d('responses_body_total_bytes_sum', {}, 13 * N + 21 * M);
      await d('responses_total_by_charset_total', { charset: 'utf-8' }, N + M);
      await none('responses_streaming_total');
      await none('ajax_requests_total');
    });

    it('counts XMLHttpRequest requests as ajax', async () => {
      const s0 = await saveRegistry(registry);
      await (await get('/help', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).text();
      await (await get('/help', { headers: { 'X-Requested-With': 'fetch' } })).text();
      await assertMetricDiff(s0, 1, `${P}ajax_requests_total`);
    });

    it('counts the template of @Render, and none for JSON', async () => {
      const s0 = await saveRegistry(registry);
      const res = await get('/');
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<h1>hello<\/h1>/);
      await (await get('/help')).text();
      await assertMetricDiff(s0, 1, `${P}responses_total_by_templatename_total`, { templatename: 'index' });
      // The JSON response made no templatename series of its own: the only one is `index`.
      const templates = await seriesWhere(registry, `${P}responses_total_by_templatename_total`, () => true);
      assert.deepEqual(templates.map((t) => t.labels), [{ templatename: 'index' }]);
      await assertMetricDiff(s0, 2, `${P}responses_total_by_charset_total`, { charset: 'utf-8' });
    });

    it('counts the declared charset', async () => {
      const s0 = await saveRegistry(registry);
      const res = await get('/latin');
      assert.equal(res.headers.get('content-type')?.toLowerCase(), 'text/plain; charset=iso-8859-1');
      await res.arrayBuffer();
      await assertMetricDiff(s0, 1, `${P}responses_total_by_charset_total`, { charset: 'iso-8859-1' });
    });

    it('counts a StreamableFile as streaming, not in response bytes', async () => {
      const s0 = await saveRegistry(registry);
      const res = await get('/file');
      assert.equal(await res.text(), 'line 1\nline 2\n');
      await assertMetricDiff(s0, 1, `${P}responses_streaming_total`);
      await assertMetricNoDiff(s0, `${P}responses_body_total_bytes_count`);
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '200', view: 'TestController.file', method: 'GET' });
    });

    it('puts a 100 ms route in the latency bucket of its duration', async () => {
      const s0 = await saveRegistry(registry);
      const started = performance.now();
      await (await get('/slow')).text();
      const elapsed = (performance.now() - started) / 1000;
      for (const [name, labels] of [
        [`${P}requests_latency_seconds_by_view_method`, { view: 'TestController.slow', method: 'GET' }],
        [`${P}requests_latency_including_middlewares_seconds`, {}],
      ] as const) {
        // The observed value is known exactly from _sum; it must lie between the 100 ms the handler
        // waits and what the client saw, and exactly the buckets at or above it must have grown.
        const observed = await changeSince(s0, `${name}_sum`, labels);
        assert.ok(observed >= 0.1 && observed <= elapsed, `${name}: observed ${observed}s, client saw ${elapsed}s`);
        await assertMetricDiff(s0, 1, `${name}_count`, labels);
        for (const le of [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5]) {
          await assertMetricDiff(s0, le >= observed ? 1 : 0, `${name}_bucket`, { ...labels, le: String(le) });
        }
      }
    });

    it('counts a custom exception once, by type and view, with the 500 sent', async () => {
      const s0 = await saveRegistry(registry);
      assert.equal((await get('/objection')).status, 500);
      const view = 'TestController.objection';
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_type_total`, { type: 'ObjectionException' });
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_view_total`, { view });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '500', view, method: 'GET' });
      await assertMetricDiff(s0, 1, `${P}requests_latency_seconds_by_view_method_count`, { view, method: 'GET' });
    });

    it('counts exceptions of guards and HttpExceptions with the status the filters sent', async () => {
      const s0 = await saveRegistry(registry);
      assert.equal((await get('/guarded')).status, 403);
      assert.equal((await get('/teapot')).status, 418);
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_type_total`, { type: 'ForbiddenException' });
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_view_total`, { view: 'TestController.guarded' });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '403', view: 'TestController.guarded', method: 'GET' });
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_type_total`, { type: 'HttpException' });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_total`, { status: '418' });
    });

    it('counts exceptions of pipes and interceptors', async () => {
      const s0 = await saveRegistry(registry);
      assert.equal((await get('/items/abc')).status, 400);
      assert.equal((await get('/items/12')).status, 200);
      assert.equal((await get('/intercepted')).status, 500);
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_type_total`, { type: 'BadRequestException' });
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_view_total`, { view: 'TestController.item' });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '400', view: 'TestController.item', method: 'GET' });
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_type_total`, { type: 'InterceptorFailure' });
      await assertMetricDiff(s0, 1, `${P}exceptions_total_by_view_total`, { view: 'TestController.intercepted' });
    });

    it('counts unmatched URLs as <unnamed view> 404s, not as exceptions', async () => {
      const s0 = await saveRegistry(registry);
      assert.equal((await get('/no/such/page?x=1')).status, 404);
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '404', view: '<unnamed view>', method: 'GET' });
      await assertMetricDiff(s0, 1, `${P}requests_total_by_method_total`, { method: 'GET' });
      await assertMetricDiff(s0, 1, `${P}requests_unknown_latency_total`);
      assert.equal((await allSeries(registry)).some((k) => k.includes('no/such')), false);
      assert.deepEqual(await seriesWhere(registry, `${P}requests_total_by_view_transport_method_total`, (l) => l.view === '<unnamed view>'), []);
      assert.deepEqual(await seriesWhere(registry, `${P}exceptions_total_by_type_total`, (l) => l.type === 'NotFoundException'), []);
    });

    it('labels non-standard methods <invalid method>, HEAD with its GET view, OPTIONS without a view', async () => {
      const s0 = await saveRegistry(registry);
      const purge = await get('/help', { method: 'PURGE' });
      await purge.arrayBuffer();
      const head = await get('/help', { method: 'HEAD' });
      assert.equal(head.status, 200);
      const options = await get('/help', { method: 'OPTIONS' });
      await options.arrayBuffer();
      await assertMetricDiff(s0, 1, `${P}requests_total_by_method_total`, { method: '<invalid method>' });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: String(purge.status), view: '<unnamed view>', method: '<invalid method>' });
      await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.help', transport: 'http', method: 'HEAD' });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '200', view: 'TestController.help', method: 'HEAD' });
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: String(options.status), view: '<unnamed view>', method: 'OPTIONS' });
      assert.equal((await allSeries(registry)).some((k) => k.includes('PURGE')), false);
    });

    it('reads transport https from a trusted proxy X-Forwarded-Proto', async () => {
      const s0 = await saveRegistry(registry);
      await (await get('/help', { headers: { 'X-Forwarded-Proto': 'https' } })).text();
      await assertMetricDiff(s0, 1, `${P}requests_total_by_transport_total`, { transport: 'https' });
      await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.help', transport: 'https', method: 'GET' });
    });

    it('does not count @SkipMetrics() handlers and controllers, nor /metrics', async () => {
      const s0 = await saveRegistry(registry);
      assert.equal((await get('/health')).status, 200);
      assert.equal((await get('/internal/status')).status, 200);
      assert.equal((await get('/metrics')).status, 200);
      await assertMetricNoDiff(s0, `${P}requests_before_middlewares_total`);
      await assertMetricNoDiff(s0, `${P}responses_before_middlewares_total`);
      assert.equal((await allSeries(registry)).some((k) => /health|internal|MetricsController/.test(k)), false);
    });

    it('survives a client that disconnects before the response, counting it as documented', async () => {
      resetHanging();
      const s0 = await saveRegistry(registry);
      const controller = new AbortController();
      const pending = get('/hang', { signal: controller.signal }).catch((e: unknown) => e);
      await hanging.entered.promise;
      controller.abort();
      assert.ok((await pending) instanceof Error);
      await hanging.closed.promise;
      await waitFor(async () => (await changeSince(s0, `${P}requests_unknown_latency_including_middlewares_total`)) === 1, 'the aborted request');
      assert.equal((await get('/help')).status, 200);
      const view = 'TestController.hang';
      await assertMetricDiff(s0, 2, `${P}requests_before_middlewares_total`);
      await assertMetricDiff(s0, 1, `${P}responses_before_middlewares_total`);
      await assertMetricDiff(s0, 1, `${P}requests_unknown_latency_total`);
      await assertMetricDiff(s0, 1, `${P}requests_total_by_view_transport_method_total`, { view, transport: 'http', method: 'GET' });
      assert.equal((await allSeries(registry)).some((k) => k.includes(view) && k.includes('status=')), false);
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_total`, { status: '200' });
    });

    it('keeps the series count constant across 10,000 requests to random unknown URLs', async () => {
      await (await get(`/unknown/warm-up`)).text();
      const count = async (): Promise<number> => (await allSeries(registry)).length;
      const seriesBefore = await count();
      const s0 = await saveRegistry(registry);
      const statuses = await hammer(app.url, 10_000, (i) => `/unknown/${i}-${Math.random().toString(36).slice(2)}?q=${i}`);
      assert.deepEqual([...statuses], [[404, 10_000]]);
      assert.equal(await count(), seriesBefore);
      await assertMetricDiff(s0, 10_000, `${P}responses_total_by_status_view_method_total`, { status: '404', view: '<unnamed view>', method: 'GET' });
      const body = await (await get('/metrics')).text();
      assert.doesNotMatch(body, /unknown\/\d/);
    });

    it('exposes the HTTP metrics without promlint findings', async (t) => {
      const body = await (await get('/metrics')).text();
      for (const name of ['requests_before_middlewares_total', 'responses_total_by_status_view_method_total', 'exceptions_total_by_view_total']) {
        assert.match(body, new RegExp(`^# TYPE ${P}${name} counter$`, 'm'));
      }
      assert.match(body, new RegExp(`^# TYPE ${P}requests_latency_seconds_by_view_method histogram$`, 'm'));
      const lint = await promlint(body, t);
      assert.equal(lint.code, 0, lint.output);
    });
  });
}

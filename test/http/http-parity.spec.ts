import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { ADAPTERS, type StartedApp } from '../support/adapters.js';
import { promlint } from '../support/promlint.js';
import { delta } from './support/diff.js';
import { hanging, httpTestModule, resetHanging, loadHandlebars, useTemplates } from './support/http-test-app.js';
import { hammer } from './support/hammer.js';
import { snapshot, waitFor } from './support/metric-values.js';
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
      const s0 = await snapshot(registry);
      for (let i = 0; i < N; i++) assert.equal((await get('/help')).status, 200);
      for (let i = 0; i < M; i++) {
        const res = await get('/help', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        assert.equal(res.status, 201);
        await res.arrayBuffer();
      }
      const s1 = await snapshot(registry);
      const d = (name: string, labels: Record<string, string> = {}): number => delta(s0, s1, P + name, labels);
      assert.equal(d('requests_before_middlewares_total'), N + M);
      assert.equal(d('responses_before_middlewares_total'), N + M);
      assert.equal(d('requests_latency_including_middlewares_seconds_count'), N + M);
      assert.equal(d('requests_total_by_method_total', { method: 'GET' }), N);
      assert.equal(d('requests_total_by_method_total', { method: 'POST' }), M);
      assert.equal(d('requests_total_by_transport_total', { transport: 'http' }), N + M);
      assert.equal(d('requests_total_by_view_transport_method_total', { view: 'TestController.help', transport: 'http', method: 'GET' }), N);
      assert.equal(d('requests_total_by_view_transport_method_total', { view: 'TestController.postHelp', transport: 'http', method: 'POST' }), M);
      assert.equal(d('responses_total_by_status_total', { status: '200' }), N);
      assert.equal(d('responses_total_by_status_total', { status: '201' }), M);
      assert.equal(d('responses_total_by_status_view_method_total', { status: '200', view: 'TestController.help', method: 'GET' }), N);
      assert.equal(d('responses_total_by_status_view_method_total', { status: '201', view: 'TestController.postHelp', method: 'POST' }), M);
      assert.equal(d('requests_latency_seconds_by_view_method_count', { view: 'TestController.help', method: 'GET' }), N);
      assert.equal(d('requests_latency_seconds_by_view_method_count', { view: 'TestController.postHelp', method: 'POST' }), M);
      assert.equal(d('requests_unknown_latency_total'), 0);
      assert.equal(d('requests_unknown_latency_including_middlewares_total'), 0);
      // Request bodies: GETs have no Content-Length (0), the POST bodies are 13 bytes.
      assert.equal(d('requests_body_total_bytes_bucket', { le: '0' }), N);
      assert.equal(d('requests_body_total_bytes_bucket', { le: '8' }), N);
      assert.equal(d('requests_body_total_bytes_bucket', { le: '16' }), N + M);
      assert.equal(d('requests_body_total_bytes_sum'), 13 * M);
      // Response bodies: {"help":"me"} is 13 bytes, {"got":{"a":"bcdef"}} is 21.
      assert.equal(d('responses_body_total_bytes_bucket', { le: '16' }), N);
      assert.equal(d('responses_body_total_bytes_bucket', { le: '32' }), N + M);
      assert.equal(d('responses_body_total_bytes_sum'), 13 * N + 21 * M);
      assert.equal(d('responses_total_by_charset_total', { charset: 'utf-8' }), N + M);
      assert.equal(d('responses_streaming_total'), 0);
      assert.equal(d('ajax_requests_total'), 0);
    });

    it('counts XMLHttpRequest requests as ajax', async () => {
      const s0 = await snapshot(registry);
      await (await get('/help', { headers: { 'X-Requested-With': 'XMLHttpRequest' } })).text();
      await (await get('/help', { headers: { 'X-Requested-With': 'fetch' } })).text();
      assert.equal(delta(s0, await snapshot(registry), `${P}ajax_requests_total`), 1);
    });

    it('counts the template of @Render, and none for JSON', async () => {
      const s0 = await snapshot(registry);
      const res = await get('/');
      assert.equal(res.status, 200);
      assert.match(await res.text(), /<h1>hello<\/h1>/);
      await (await get('/help')).text();
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}responses_total_by_templatename_total`, { templatename: 'index' }), 1);
      assert.equal([...s1.keys()].filter((k) => k.startsWith(`${P}responses_total_by_templatename_total`)).length, 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_charset_total`, { charset: 'utf-8' }), 2);
    });

    it('counts the declared charset', async () => {
      const s0 = await snapshot(registry);
      const res = await get('/latin');
      assert.equal(res.headers.get('content-type')?.toLowerCase(), 'text/plain; charset=iso-8859-1');
      await res.arrayBuffer();
      assert.equal(delta(s0, await snapshot(registry), `${P}responses_total_by_charset_total`, { charset: 'iso-8859-1' }), 1);
    });

    it('counts a StreamableFile as streaming, not in response bytes', async () => {
      const s0 = await snapshot(registry);
      const res = await get('/file');
      assert.equal(await res.text(), 'line 1\nline 2\n');
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}responses_streaming_total`), 1);
      assert.equal(delta(s0, s1, `${P}responses_body_total_bytes_count`), 0);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: '200', view: 'TestController.file', method: 'GET' }), 1);
    });

    it('puts a 100 ms route in the latency bucket of its duration', async () => {
      const s0 = await snapshot(registry);
      const started = performance.now();
      await (await get('/slow')).text();
      const elapsed = (performance.now() - started) / 1000;
      const s1 = await snapshot(registry);
      for (const [name, labels] of [
        [`${P}requests_latency_seconds_by_view_method`, { view: 'TestController.slow', method: 'GET' }],
        [`${P}requests_latency_including_middlewares_seconds`, {}],
      ] as const) {
        // The observed value is known exactly from _sum; it must lie between the 100 ms the handler
        // waits and what the client saw, and exactly the buckets at or above it must have grown.
        const observed = delta(s0, s1, `${name}_sum`, labels);
        assert.ok(observed >= 0.1 && observed <= elapsed, `${name}: observed ${observed}s, client saw ${elapsed}s`);
        assert.equal(delta(s0, s1, `${name}_count`, labels), 1);
        for (const le of [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5]) {
          assert.equal(delta(s0, s1, `${name}_bucket`, { ...labels, le: String(le) }), le >= observed ? 1 : 0, `${name} le=${le}`);
        }
      }
    });

    it('counts a custom exception once, by type and view, with the 500 sent', async () => {
      const s0 = await snapshot(registry);
      assert.equal((await get('/objection')).status, 500);
      const s1 = await snapshot(registry);
      const view = 'TestController.objection';
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_type_total`, { type: 'ObjectionException' }), 1);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_view_total`, { view }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: '500', view, method: 'GET' }), 1);
      assert.equal(delta(s0, s1, `${P}requests_latency_seconds_by_view_method_count`, { view, method: 'GET' }), 1);
    });

    it('counts exceptions of guards and HttpExceptions with the status the filters sent', async () => {
      const s0 = await snapshot(registry);
      assert.equal((await get('/guarded')).status, 403);
      assert.equal((await get('/teapot')).status, 418);
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_type_total`, { type: 'ForbiddenException' }), 1);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_view_total`, { view: 'TestController.guarded' }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: '403', view: 'TestController.guarded', method: 'GET' }), 1);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_type_total`, { type: 'HttpException' }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_total`, { status: '418' }), 1);
    });

    it('counts exceptions of pipes and interceptors', async () => {
      const s0 = await snapshot(registry);
      assert.equal((await get('/items/abc')).status, 400);
      assert.equal((await get('/items/12')).status, 200);
      assert.equal((await get('/intercepted')).status, 500);
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_type_total`, { type: 'BadRequestException' }), 1);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_view_total`, { view: 'TestController.item' }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: '400', view: 'TestController.item', method: 'GET' }), 1);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_type_total`, { type: 'InterceptorFailure' }), 1);
      assert.equal(delta(s0, s1, `${P}exceptions_total_by_view_total`, { view: 'TestController.intercepted' }), 1);
    });

    it('counts unmatched URLs as <unnamed view> 404s, not as exceptions', async () => {
      const s0 = await snapshot(registry);
      assert.equal((await get('/no/such/page?x=1')).status, 404);
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: '404', view: '<unnamed view>', method: 'GET' }), 1);
      assert.equal(delta(s0, s1, `${P}requests_total_by_method_total`, { method: 'GET' }), 1);
      assert.equal(delta(s0, s1, `${P}requests_unknown_latency_total`), 1);
      assert.equal([...s1.keys()].some((k) => k.includes('no/such')), false);
      assert.equal([...s1.keys()].some((k) => k.startsWith(`${P}requests_total_by_view_transport_method_total`) && k.includes('<unnamed view>')), false);
      assert.equal([...s1.keys()].filter((k) => k.startsWith(`${P}exceptions_total_by_type_total`) && k.includes('NotFoundException')).length, 0);
    });

    it('labels non-standard methods <invalid method>, HEAD with its GET view, OPTIONS without a view', async () => {
      const s0 = await snapshot(registry);
      const purge = await get('/help', { method: 'PURGE' });
      await purge.arrayBuffer();
      const head = await get('/help', { method: 'HEAD' });
      assert.equal(head.status, 200);
      const options = await get('/help', { method: 'OPTIONS' });
      await options.arrayBuffer();
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}requests_total_by_method_total`, { method: '<invalid method>' }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: String(purge.status), view: '<unnamed view>', method: '<invalid method>' }), 1);
      assert.equal(delta(s0, s1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.help', transport: 'http', method: 'HEAD' }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: '200', view: 'TestController.help', method: 'HEAD' }), 1);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status: String(options.status), view: '<unnamed view>', method: 'OPTIONS' }), 1);
      assert.equal([...s1.keys()].some((k) => k.includes('PURGE')), false);
    });

    it('reads transport https from a trusted proxy X-Forwarded-Proto', async () => {
      const s0 = await snapshot(registry);
      await (await get('/help', { headers: { 'X-Forwarded-Proto': 'https' } })).text();
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}requests_total_by_transport_total`, { transport: 'https' }), 1);
      assert.equal(delta(s0, s1, `${P}requests_total_by_view_transport_method_total`, { view: 'TestController.help', transport: 'https', method: 'GET' }), 1);
    });

    it('does not count @SkipMetrics() handlers and controllers, nor /metrics', async () => {
      const s0 = await snapshot(registry);
      assert.equal((await get('/health')).status, 200);
      assert.equal((await get('/internal/status')).status, 200);
      assert.equal((await get('/metrics')).status, 200);
      const s1 = await snapshot(registry);
      assert.equal(delta(s0, s1, `${P}requests_before_middlewares_total`), 0);
      assert.equal(delta(s0, s1, `${P}responses_before_middlewares_total`), 0);
      assert.equal([...s1.keys()].some((k) => /health|internal|MetricsController/.test(k)), false);
    });

    it('survives a client that disconnects before the response, counting it as documented', async () => {
      resetHanging();
      const s0 = await snapshot(registry);
      const controller = new AbortController();
      const pending = get('/hang', { signal: controller.signal }).catch((e: unknown) => e);
      await hanging.entered.promise;
      controller.abort();
      assert.ok((await pending) instanceof Error);
      await hanging.closed.promise;
      await waitFor(async () => delta(s0, await snapshot(registry), `${P}requests_unknown_latency_including_middlewares_total`) === 1, 'the aborted request');
      assert.equal((await get('/help')).status, 200);
      const s1 = await snapshot(registry);
      const view = 'TestController.hang';
      assert.equal(delta(s0, s1, `${P}requests_before_middlewares_total`), 2);
      assert.equal(delta(s0, s1, `${P}responses_before_middlewares_total`), 1);
      assert.equal(delta(s0, s1, `${P}requests_unknown_latency_total`), 1);
      assert.equal(delta(s0, s1, `${P}requests_total_by_view_transport_method_total`, { view, transport: 'http', method: 'GET' }), 1);
      assert.equal([...s1.keys()].some((k) => k.includes(view) && k.includes('status=')), false);
      assert.equal(delta(s0, s1, `${P}responses_total_by_status_total`, { status: '200' }), 1);
    });

    it('keeps the series count constant across 10,000 requests to random unknown URLs', async () => {
      await (await get(`/unknown/warm-up`)).text();
      const count = async (): Promise<number> => [...(await snapshot(registry)).keys()].length;
      const s0 = await snapshot(registry);
      const statuses = await hammer(app.url, 10_000, (i) => `/unknown/${i}-${Math.random().toString(36).slice(2)}?q=${i}`);
      assert.deepEqual([...statuses], [[404, 10_000]]);
      assert.equal(await count(), s0.size);
      assert.equal(delta(s0, await snapshot(registry), `${P}responses_total_by_status_view_method_total`, { status: '404', view: '<unnamed view>', method: 'GET' }), 10_000);
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

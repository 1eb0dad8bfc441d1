import 'reflect-metadata';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterEach, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { makeCounterProvider, makeHistogramProvider, PrometheusModule } from 'nest-prometheus';
import { Registry } from 'prom-client';
import compression from 'compression';
import fastifyCompress from '@fastify/compress';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { promlint } from '../support/promlint.js';

const opened: StartedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});

function appModule(registry: Registry) {
  @Module({
    imports: [PrometheusModule.forRoot({ registry })],
    providers: [
      makeCounterProvider({ name: 'jobs_total', help: 'Jobs run', labelNames: ['queue'] }),
      makeHistogramProvider({ name: 'job_seconds', help: 'Job duration', buckets: [0.5, 1] }),
    ],
  })
  class AppModule {}
  return AppModule;
}

/** GET with gzip accepted, through node:http so the raw (compressed) bytes are visible. */
function getGzip(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

for (const adapter of ADAPTERS) {
  describe(`GET /metrics (${adapter})`, () => {
    it('returns 200, the registry content type, default and custom metrics, and passes promtool', async (t) => {
      const registry = new Registry();
      const app = await startApp(appModule(registry), adapter);
      opened.push(app);
      (registry.getSingleMetric('jobs_total') as unknown as { inc(l: Record<string, string>): void }).inc({ queue: 'mail' });
      const res = await fetch(`${app.url}/metrics`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const body = await res.text();
      assert.match(body, /^# HELP jobs_total Jobs run$/m);
      assert.match(body, /^jobs_total\{queue="mail"\} 1$/m);
      assert.match(body, /^job_seconds_bucket\{le="\+Inf"\} 0$/m);
      assert.match(body, /^nodejs_eventloop_lag_seconds /m);
      const lint = await promlint(body, t);
      assert.equal(lint.code, 0, lint.output);
      if (lint.ran) assert.match(lint.output, /promlint: OK/);
    });

    it('serves the same exposition through response compression', async (t) => {
      const registry = new Registry();
      const app = await startApp(appModule(registry), adapter, {
        configure: async (nest, name) => {
          if (name === 'express') nest.use(compression({ threshold: 0 }));
          else await (nest as NestFastifyApplication).register(fastifyCompress, { threshold: 0 });
        },
      });
      opened.push(app);
      const res = await getGzip(`${app.url}/metrics`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
      const body = gunzipSync(res.body).toString('utf8');
      assert.match(body, /^# TYPE jobs_total counter$/m);
      const lint = await promlint(body, t);
      assert.equal(lint.code, 0, lint.output);
    });

    it('with an OpenMetrics registry, serves its content type', async () => {
      const registry = new Registry<'application/openmetrics-text; version=1.0.0; charset=utf-8'>();
      registry.setContentType('application/openmetrics-text; version=1.0.0; charset=utf-8');
      const app = await startApp(appModule(registry as unknown as Registry), adapter);
      opened.push(app);
      const res = await fetch(`${app.url}/metrics`);
      assert.equal(res.headers.get('content-type'), 'application/openmetrics-text; version=1.0.0; charset=utf-8');
      assert.match(await res.text(), /# EOF\n?$/);
    });
  });
}

describe('default metrics', () => {
  it('drops the prom-client gauges named *_total, whose per-type twins remain', async () => {
    const registry = new Registry();
    @Module({ imports: [PrometheusModule.forRoot({ registry, controller: false })] })
    class AppModule {}
    const app = await startApp(AppModule, 'express');
    opened.push(app);
    const body = await registry.metrics();
    assert.doesNotMatch(body, /nodejs_active_(handles|requests|resources)_total/);
    assert.match(body, /^nodejs_active_handles\{type="Server"\} [1-9]/m, 'the listening server is an active handle');
    assert.match(body, /^# TYPE nodejs_active_resources gauge$/m);
  });
});

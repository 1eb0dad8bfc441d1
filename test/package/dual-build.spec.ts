import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import * as esm from 'nest-prometheus';
import * as esmTesting from 'nest-prometheus/testing';
import { Gauge, Registry } from 'prom-client';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';

/**
 * The package ships an ESM build (`import`) and a CommonJS build (`require`). An app can end up
 * with both in one process (its compiled code `require()`s the package, an ESM library imports it).
 * These tests load both copies side by side and prove they act as one package: what one registers,
 * marks or snapshots, the other sees (the "dual package hazard" does not split the state).
 */
const require = createRequire(import.meta.url);
const cjs = require('nest-prometheus') as typeof esm;
const cjsTesting = require('nest-prometheus/testing') as typeof esmTesting;
const VIEW_TOTAL = 'nestjs_http_requests_total_by_view_transport_method_total';

describe('the ESM and CommonJS builds in one process', () => {
  const apps: StartedApp[] = [];
  after(async () => {
    for (const app of apps.splice(0)) await app.close();
  });

  it('are two distinct copies of the code (so the tests below prove sharing, not identity)', () => {
    assert.equal(require.resolve('nest-prometheus').endsWith('/dist/cjs/index.js'), true);
    assert.notEqual(cjs.PrometheusModule, esm.PrometheusModule);
    assert.notEqual(cjsTesting.saveRegistry, esmTesting.saveRegistry);
  });

  it('share injection tokens and metric tokens', () => {
    assert.equal(cjs.PROMETHEUS_REGISTRY, esm.PROMETHEUS_REGISTRY);
    assert.equal(cjs.PROMETHEUS_CONFIG, esm.PROMETHEUS_CONFIG);
    assert.equal(cjs.getMetricToken('x_total'), esm.getMetricToken('x_total'));
  });

  for (const adapter of ADAPTERS) {
    it(`count HTTP requests of an app on each copy into the same series of one registry (${adapter})`, async () => {
      const registry = new Registry();

      @Controller('cjs')
      class CjsController {
        constructor(@Inject(esm.PROMETHEUS_REGISTRY) readonly injected: Registry) {}
        @Get()
        hit(): { ok: true } {
          return { ok: true };
        }
        @Get('skipped')
        @esm.SkipMetrics()
        skipped(): { ok: true } {
          return { ok: true };
        }
      }
      @Module({ imports: [cjs.PrometheusModule.forRoot({ registry, defaultMetrics: false })], controllers: [CjsController] })
      class CjsAppModule {}

      @Controller('esm')
      class EsmController {
        @Get()
        hit(): { ok: true } {
          return { ok: true };
        }
        @Get('skipped')
        @cjs.SkipMetrics()
        skipped(): { ok: true } {
          return { ok: true };
        }
      }
      @Module({ imports: [esm.PrometheusModule.forRoot({ registry, defaultMetrics: false })], controllers: [EsmController] })
      class EsmAppModule {}

      const fromCjs = await startApp(CjsAppModule, adapter);
      apps.push(fromCjs);
      // The second copy finds the HTTP metrics the first registered on this registry (it would
      // throw "already registered by other code" if its store were its own).
      const fromEsm = await startApp(EsmAppModule, adapter);
      apps.push(fromEsm);
      assert.equal(fromCjs.app.get(CjsController).injected, registry, 'the ESM token injects the registry of the CommonJS module');

      const before = await cjsTesting.saveRegistry(registry);
      for (const url of [`${fromCjs.url}/cjs`, `${fromEsm.url}/esm`, `${fromCjs.url}/cjs/skipped`, `${fromEsm.url}/esm/skipped`]) {
        assert.equal((await fetch(url)).status, 200);
      }
      // A snapshot of the CommonJS testing helpers, read by the ESM ones, and the other way round.
      await esmTesting.assertMetricDiff(before, 1, VIEW_TOTAL, { view: 'CjsController.hit', transport: 'http', method: 'GET' });
      await esmTesting.assertMetricDiff(before, 1, VIEW_TOTAL, { view: 'EsmController.hit', transport: 'http', method: 'GET' });
      const after = await esmTesting.saveRegistry(registry);
      await cjsTesting.assertMetricNoDiff(after, VIEW_TOTAL, { view: 'CjsController.hit', transport: 'http', method: 'GET' });
      // @SkipMetrics() of either copy is honoured by the hooks, whichever copy installed them.
      assert.equal(await cjsTesting.getMetric(VIEW_TOTAL, { view: 'CjsController.skipped', transport: 'http', method: 'GET' }, registry), undefined);
      assert.equal(await cjsTesting.getMetric(VIEW_TOTAL, { view: 'EsmController.skipped', transport: 'http', method: 'GET' }, registry), undefined);
      assert.equal((await registry.getMetricsAsJSON()).filter((m) => m.name === VIEW_TOTAL).length, 1, 'one family, not one per copy');
      await fromEsm.close();
      await fromCjs.close();
      apps.splice(0);
    });
  }

  it('share the gauges marked to be summed across processes', async () => {
    const gauge = esm.sumAcrossProcesses(new Gauge({ name: 'dual_in_flight', help: 'In flight.', registers: [] }));
    const cjsMode = require('../../../dist/cjs/multiprocess/multiprocess-mode.js') as { isSummedAcrossProcesses(g: Gauge): boolean };
    assert.equal(cjsMode.isSummedAcrossProcesses(gauge), true);
    assert.equal(cjsMode.isSummedAcrossProcesses(new Gauge({ name: 'dual_other', help: 'Other.', registers: [] })), false);
  });

  it('the CommonJS build finds its worker file (PrometheusEndpointThread serves from dist/cjs)', async () => {
    const registry = new Registry();
    new Gauge({ name: 'dual_thread', help: 'A gauge.', registers: [registry] }).set(3);
    const server = new cjs.PrometheusEndpointThread({ port: 0, address: '127.0.0.1', registry, logger: { log: () => undefined, warn: () => undefined } });
    try {
      await server.start();
      assert.match(await (await fetch(server.url)).text(), /^dual_thread 3$/m);
    } finally {
      await server.close();
    }
  });
});

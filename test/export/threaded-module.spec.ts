import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { MetricsPortInUseError, PrometheusExporterService, PrometheusModule } from 'nest-prometheus';
import { Counter, Registry } from 'prom-client';
import { ADAPTERS, startApp } from '../support/adapters.js';
import { ask, type Child, fixture, freePorts, getFresh, holdPorts, sample, spawnNode } from '../fixtures/child-process.js';

const APP = fixture('export-app.js');

describe('the module\'s metrics port on a worker thread (export.threaded / PROMETHEUS_METRICS_EXPORT_THREADED)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-threaded-'));
  const children: Child[] = [];
  const cleanups: Array<() => Promise<void>> = [];
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const adapter of ADAPTERS) {
    it(`${adapter}: a scrape that arrives while a handler blocks the event loop is answered (stale-marked), then fresh again`, async () => {
      const flag = join(dir, `unblock-${adapter}`);
      const [port] = await freePorts(1);
      const child = spawnNode([APP], {
        HTTP_ADAPTER: adapter,
        BLOCK_FLAG: flag,
        PROMETHEUS_METRICS_EXPORT_PORT: String(port),
        PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1',
        PROMETHEUS_METRICS_EXPORT_THREADED: 'true',
        PROMETHEUS_METRICS_EXPORT_TOKEN: 'tk',
      });
      children.push(child);
      const ready = await child.take('ready');
      assert.equal(ready.exportPort, port, child.output);
      const url = `http://127.0.0.1:${port}/metrics`;
      const auth = { headers: { Authorization: 'Bearer tk' } };
      assert.equal((await fetch(url)).status, 401, 'the token holds on the thread too');

      assert.equal((await getFresh(`http://127.0.0.1:${ready.appPort}/hit`)).status, 200);
      const fresh = await fetch(url, auth);
      assert.equal(fresh.headers.get('x-metrics-stale-seconds'), null);
      assert.equal(sample(await fresh.text(), 'fixture_requests_total'), 1);

      const blocked = getFresh(`http://127.0.0.1:${ready.appPort}/block`);
      await child.take('blocking');
      // The event loop spins until the flag exists: this answer can only come from the thread.
      const stale = await fetch(url, auth);
      assert.equal(stale.status, 200);
      assert.ok(Number(stale.headers.get('x-metrics-stale-seconds')) >= 0);
      assert.equal(sample(await stale.text(), 'fixture_requests_total'), 1);
      writeFileSync(flag, '');
      assert.equal((await blocked).status, 200);

      assert.equal((await getFresh(`http://127.0.0.1:${ready.appPort}/hit`)).status, 200);
      const after = await fetch(url, auth);
      assert.equal(after.headers.get('x-metrics-stale-seconds'), null);
      assert.equal(sample(await after.text(), 'fixture_requests_total'), 2);

      await ask(child, 'close', 'closed');
      const { code } = await child.exited;
      assert.equal(code, 0, `the thread ended with the app: ${child.output}`);
    });
  }

  it('the option in forRoot: a range skips taken ports, the port serves what the controller serves, and closes with the app', async () => {
    const held = await holdPorts(1);
    cleanups.push(() => held.release());
    const [free] = await freePorts(1);
    const registry = new Registry();
    new Counter({ name: 'threaded_option_total', help: 'x', registers: [registry] }).inc(3);
    @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, export: { portRange: [held.ports[0] as number, free as number], address: '127.0.0.1', threaded: true } })] })
    class AppModule {}
    const started = await startApp(AppModule, 'fastify');
    assert.equal(started.app.get(PrometheusExporterService).port, free);
    const viaPort = await (await fetch(`http://127.0.0.1:${free}/metrics`)).text();
    assert.match(viaPort, /^threaded_option_total 3$/m);
    assert.equal(viaPort, await (await fetch(`${started.url}/metrics`)).text());
    await started.close();
    await assert.rejects(fetch(`http://127.0.0.1:${free}/metrics`));
  });

  it('a taken port, threaded, fails startup with MetricsPortInUseError', async () => {
    const held = await holdPorts(1);
    cleanups.push(() => held.release());
    @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), defaultMetrics: false, export: { port: held.ports[0], address: '127.0.0.1', threaded: true } })] })
    class AppModule {}
    await assert.rejects(startApp(AppModule, 'express'), MetricsPortInUseError);
  });
});

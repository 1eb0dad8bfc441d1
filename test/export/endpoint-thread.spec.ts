import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MetricsPortInUseError, PrometheusEndpointThread } from 'nest-prometheus';
import { Counter, Registry } from 'prom-client';
import { ask, type Child, fixture, holdPorts, spawnNode } from '../fixtures/child-process.js';

const quiet = { log: () => undefined, warn: () => undefined };

describe('PrometheusEndpointThread (the port served from a worker thread)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-thread-'));
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the registry with the same routes and token rules, and closes', async () => {
    const registry = new Registry();
    new Counter({ name: 'thread_total', help: 'A counter.', registers: [registry] }).inc(4);
    const server = new PrometheusEndpointThread({ port: 0, address: '127.0.0.1', registry, token: 'tk', logger: quiet });
    cleanups.push(() => server.close());
    await server.start();
    const url = `http://127.0.0.1:${server.port}/metrics`;
    assert.equal((await fetch(url)).status, 401);
    const res = await fetch(url, { headers: { Authorization: 'Bearer tk' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), registry.contentType);
    assert.equal(res.headers.get('x-metrics-stale-seconds'), null);
    assert.match(await res.text(), /^thread_total 4$/m);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/x`, { headers: { Authorization: 'Bearer tk' } })).status, 404);
    await server.close();
    await assert.rejects(fetch(url));
  });

  it('rejects with MetricsPortInUseError when the port is taken', async () => {
    const held = await holdPorts(1);
    cleanups.push(() => held.release());
    const server = new PrometheusEndpointThread({ port: held.ports[0], address: '127.0.0.1', logger: quiet });
    await assert.rejects(server.start(), MetricsPortInUseError);
  });

  it('keeps answering while the main event loop is blocked, with the last exposition marked stale', { timeout: 30_000 }, async () => {
    // a generous wait for fresh values, so that only a blocked main thread yields a stale answer
    const child: Child = spawnNode([fixture('blocking-exporter.js')], { FRESH_TIMEOUT_MS: '2000' });
    cleanups.push(() => child.kill());
    const { exportPort } = await child.take('ready');
    const url = `http://127.0.0.1:${exportPort}/metrics`;
    await ask(child, 'inc', 'incremented');
    const fresh = await fetch(url);
    assert.equal(fresh.headers.get('x-metrics-stale-seconds'), null);
    assert.match(await fresh.text(), /^blocking_fixture_total 1$/m);

    const flag = join(dir, 'unblock');
    const blocking = child.take('blocking');
    child.process.send({ cmd: 'block', flag });
    await blocking;
    // the main thread spins until the flag exists: this answer can only come from the exporter thread
    const stale = await fetch(url);
    assert.equal(stale.status, 200);
    assert.ok(Number(stale.headers.get('x-metrics-stale-seconds')) >= 0);
    assert.match(await stale.text(), /^blocking_fixture_total 1$/m);
    writeFileSync(flag, '');
    await child.take('unblocked');

    await ask(child, 'inc', 'incremented');
    const after = await fetch(url);
    assert.equal(after.headers.get('x-metrics-stale-seconds'), null);
    assert.match(await after.text(), /^blocking_fixture_total 2$/m);
    await ask(child, 'close', 'closed');
    const { code } = await child.exited;
    assert.equal(code, 0, child.output);
  });
});

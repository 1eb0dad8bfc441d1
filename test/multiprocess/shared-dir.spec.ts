import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ask, type Child, type ChildEvent, fixture, freePorts, getFresh, inBatches, sample, spawnNode } from '../fixtures/child-process.js';
import { promlint } from '../support/promlint.js';

const APP = fixture('export-app.js');
const WORKERS = 3;
const REQUESTS = 300;

describe('independent processes sharing multiprocessDir (PM2-style, real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-shared-'));
  let children: Child[] = [];
  let ready: ChildEvent[] = [];
  let range: number[] = [];

  before(async () => {
    range = await freePorts(WORKERS + 1);
    const env = {
      PROMETHEUS_MULTIPROC_DIR: dir,
      PROMETHEUS_METRICS_EXPORT_PORT_RANGE: range.join(','),
      PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1',
    };
    children = Array.from({ length: WORKERS }, (_, i) => spawnNode([APP], { ...env, HTTP_ADAPTER: i % 2 === 0 ? 'express' : 'fastify' }));
    ready = await Promise.all(children.map((c) => c.take('ready')));
  });
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each process its own port of the shared range', () => {
    const ports = ready.map((r) => r.exportPort as number);
    assert.equal(new Set(ports).size, WORKERS, JSON.stringify(ready));
    assert.ok(ports.every((p) => range.includes(p)));
  });

  it(`${REQUESTS} requests spread over ${WORKERS} processes give exactly ${REQUESTS} in the aggregate of every controller and port`, async () => {
    await inBatches(REQUESTS, 10, async (i) => {
      const res = await getFresh(`http://127.0.0.1:${ready[i % WORKERS].appPort}/hit`);
      assert.equal(res.status, 200);
    });
    await Promise.all(children.map((c) => ask(c, 'flush', 'flushed')));
    for (const r of ready) {
      for (const url of [`http://127.0.0.1:${r.appPort}/metrics`, `http://127.0.0.1:${r.exportPort}/metrics`]) {
        const text = (await getFresh(url)).body;
        assert.equal(sample(text, 'fixture_requests_total'), REQUESTS, url);
        // the built-in HTTP counters aggregate too (scrapes of /metrics are not counted)
        assert.equal(sample(text, 'nestjs_http_requests_total_by_view_transport_method_total{view="HitController.hit",transport="http",method="GET"}'), REQUESTS, url);
        for (const other of ready) assert.equal(sample(text, `fixture_worker_up{pid="${other.pid}"}`), 1, `${url}: gauge of pid ${other.pid}`);
      }
    }
  });

  it('the aggregate passes promlint', async (t) => {
    const text = (await getFresh(`http://127.0.0.1:${ready[0].exportPort}/metrics`)).body;
    assert.match(text, /^nodejs_active_handles\{[^}]*pid="/m);
    assert.doesNotMatch(text, /nodejs_active_handles_total/);
    const lint = await promlint(text, t);
    assert.equal(lint.code, 0, lint.output);
  });

  it('a killed process keeps its counts; its gauges leave the aggregate', async () => {
    // Counts of its own, made here, so the test does not lean on what an earlier test requested.
    const KILLED_REQUESTS = 7;
    const victim = ready[WORKERS - 1];
    const aggregate = async (): Promise<string> => (await getFresh(`http://127.0.0.1:${ready[0].appPort}/metrics`)).body;
    await Promise.all(children.map((c) => ask(c, 'flush', 'flushed')));
    const before = await aggregate();
    const requestsBefore = sample(before, 'fixture_requests_total');
    const httpBefore = sample(before, 'nestjs_http_requests_before_middlewares_total');
    assert.equal(sample(before, `fixture_worker_up{pid="${victim.pid}"}`), 1, 'the victim is in the aggregate while it runs');
    for (let i = 0; i < KILLED_REQUESTS; i++) assert.equal((await getFresh(`http://127.0.0.1:${victim.appPort}/hit`)).status, 200);
    await ask(children[WORKERS - 1], 'flush', 'flushed');
    await children[WORKERS - 1].kill('SIGKILL');
    const text = await aggregate();
    assert.equal(sample(text, 'fixture_requests_total'), (requestsBefore ?? 0) + KILLED_REQUESTS);
    assert.equal(sample(text, 'nestjs_http_requests_before_middlewares_total'), (httpBefore ?? 0) + KILLED_REQUESTS);
    assert.equal(sample(text, `fixture_worker_up{pid="${victim.pid}"}`), undefined);
    assert.equal(sample(text, `fixture_worker_up{pid="${ready[0].pid}"}`), 1);
  });
});

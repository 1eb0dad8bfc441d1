import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Child, type ChildEvent, fixture, freePorts, getFresh, inBatches, sample, spawnNode } from '../fixtures/child-process.js';
import { promlint } from '../support/promlint.js';

const PRIMARY = fixture('cluster-primary.js');
const WORKERS = 3;
const REQUESTS = 300;
const TIMEOUT_MS = 500;

describe('node cluster: the primary serves the sum of its workers (real processes)', () => {
  let primary: Child;
  let workers: ChildEvent[] = [];
  let primaryPort = 0;
  let appPort = 0;

  before(async () => {
    const ports = await freePorts(WORKERS + 2);
    [primaryPort, appPort] = ports;
    primary = spawnNode([PRIMARY], {
      WORKERS: String(WORKERS),
      APP_PORT: String(appPort),
      PRIMARY_EXPORT_PORT: String(primaryPort),
      CLUSTER_TIMEOUT_MS: String(TIMEOUT_MS),
      WORKER_EXPORT_PORT_RANGE: ports.slice(2).join(','),
      PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1',
    });
    const ready = await primary.take('ready');
    assert.notEqual(ready.event, 'exit', primary.output);
    workers = ready.workers as ChildEvent[];
  });
  after(() => primary.kill());

  const hit = async (count: number): Promise<void> =>
    inBatches(count, 10, async () => assert.equal((await getFresh(`http://127.0.0.1:${appPort}/hit`)).status, 200));
  /** Each worker's own count, read on its own exporter port (the cluster primary balances round-robin). */
  const ownCounts = async (): Promise<Record<number, number>> => {
    const own: Record<number, number> = {};
      for (const w of workers) own[w.pid as number] = sample((await getFresh(`http://127.0.0.1:${w.exportPort}/metrics`)).body, 'fixture_requests_total') ?? 0;
    return own;
  };
  const sum = (own: Record<number, number>): number => Object.values(own).reduce((a, b) => a + b, 0);

  it('gives each worker its own port of the range (exclusive bind, not shared through the primary)', () => {
    const ports = workers.map((w) => w.exportPort);
    assert.ok(ports.every((p) => typeof p === 'number'), JSON.stringify(workers));
    assert.equal(new Set(ports).size, WORKERS, JSON.stringify(workers));
  });

  it(`${REQUESTS} requests spread over ${WORKERS} workers give exactly ${REQUESTS} at the primary`, async (t) => {
    await hit(REQUESTS);
    const own = await ownCounts();
    assert.equal(sum(own), REQUESTS);
    assert.ok(Object.values(own).every((n) => n > 0), `every worker served some: ${JSON.stringify(own)}`);

    const text = (await getFresh(`http://127.0.0.1:${primaryPort}/metrics`)).body;
    assert.equal(sample(text, 'fixture_requests_total'), REQUESTS);
    assert.equal(sample(text, 'nest_prometheus_cluster_workers_missing'), 0);
    for (const w of workers) assert.equal(sample(text, `fixture_worker_up{pid="${w.pid}"}`), 1);
    const lint = await promlint(text, t);
    assert.equal(lint.code, 0, lint.output);
  });

  it('a worker that does not answer in time gives a partial result and a count of missing workers, not a hang', async () => {
    // Traffic of its own, so the test does not lean on what an earlier test requested.
    await hit(3 * WORKERS);
    const own = await ownCounts();
    const stopped = workers[0].pid as number;
    assert.ok(own[stopped]! > 0, `the worker to stop has counts: ${JSON.stringify(own)}`);
    process.kill(stopped, 'SIGSTOP');
    try {
      const text = (await getFresh(`http://127.0.0.1:${primaryPort}/metrics`)).body;
      assert.equal(sample(text, 'nest_prometheus_cluster_workers_missing'), 1);
      assert.equal(sample(text, 'fixture_requests_total'), sum(own) - own[stopped]!);
    } finally {
      process.kill(stopped, 'SIGCONT');
    }
    const text = (await getFresh(`http://127.0.0.1:${primaryPort}/metrics`)).body;
    assert.equal(sample(text, 'nest_prometheus_cluster_workers_missing'), 0);
    assert.equal(sample(text, 'fixture_requests_total'), sum(own));
  });

  it('a killed worker takes its counts with it (cluster mode keeps no files; use multiprocessDir for that)', async () => {
    await hit(3 * WORKERS);
    const own = await ownCounts();
    const victim = workers[1].pid as number;
    assert.ok(own[victim]! > 0, `the worker to kill has counts: ${JSON.stringify(own)}`);
    const exited = primary.take('worker-exit');
    process.kill(victim, 'SIGKILL');
    assert.equal((await exited).workerPid, victim);
    const text = (await getFresh(`http://127.0.0.1:${primaryPort}/metrics`)).body;
    assert.equal(sample(text, 'nest_prometheus_cluster_workers_missing'), 0);
    assert.equal(sample(text, 'fixture_requests_total'), sum(own) - own[victim]!);
  });

  it('the primary closes its exporter (abort signal) and exits by itself once its workers are gone', async () => {
    primary.process.send({ cmd: 'close' });
    const { code, signal } = await primary.exited;
    assert.equal(signal, null);
    assert.equal(code, 0, primary.output);
    await assert.rejects(getFresh(`http://127.0.0.1:${primaryPort}/metrics`));
  });
});

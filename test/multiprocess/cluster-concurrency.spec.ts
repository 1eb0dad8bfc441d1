import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ask, type Child, fixture, freePorts, getFresh, sample, spawnNode } from '../fixtures/child-process.js';

const PRIMARY = fixture('cluster-primary.js');
const SCRAPES = 25;

describe('a cluster primary under many concurrent scrapes (real cluster)', { timeout: 120_000 }, () => {
  let primary: Child;
  let primaryPort = 0;

  before(async () => {
    const ports = await freePorts(4);
    primaryPort = ports[0] as number;
    primary = spawnNode([PRIMARY], {
      WORKERS: '2',
      APP_PORT: String(ports[1]),
      PRIMARY_EXPORT_PORT: String(primaryPort),
      WORKER_EXPORT_PORT_RANGE: ports.slice(2).join(','),
      PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1',
    });
    const ready = await primary.take('ready');
    assert.notEqual(ready.event, 'exit', primary.output);
  });
  after(() => primary.kill());

  it(`${SCRAPES} concurrent scrapes all answer with every worker, and Node prints no MaxListenersExceededWarning`, async () => {
    const answers = await Promise.all(Array.from({ length: SCRAPES }, () => getFresh(`http://127.0.0.1:${primaryPort}/metrics`)));
    for (const { status, body } of answers) {
      assert.equal(status, 200);
      assert.equal(sample(body, 'nest_prometheus_cluster_workers_missing'), 0);
      assert.equal(sample(body, 'fixture_requests_total'), 0, 'the workers\' counter is in the aggregate');
    }
    // A warning is emitted before the scrape that caused it answers; the pong comes after it on the same pipe.
    await ask(primary, 'ping', 'pong');
    const warnings = primary.events.filter((e) => e.event === 'warning');
    assert.deepEqual(warnings, []);
    assert.doesNotMatch(primary.output, /MaxListenersExceededWarning/);
  });
});

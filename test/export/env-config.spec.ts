import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ask, type Child, fixture, freePorts, holdPorts, spawnNode } from '../fixtures/child-process.js';

const NEST_APP = fixture('export-app.js');
const PLAIN = fixture('plain-exporter.js');

describe('standalone port configured by environment variables only (real processes)', { concurrency: 2 }, () => {
  const children: Child[] = [];
  const releases: Array<() => Promise<void>> = [];
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await Promise.all(releases.map((r) => r()));
  });

  const cases = [
    { name: 'Nest app (closed by app.close())', script: NEST_APP, metric: /process_cpu_user_seconds_total/ },
    { name: 'setupPrometheusExportsFromConfig() (closed on SIGTERM)', script: PLAIN, metric: /^plain_fixture_total 2$/m },
  ];
  for (const { name, script, metric } of cases) {
    it(`${name}: range, address and token from PROMETHEUS_METRICS_EXPORT_*; the process exits by itself after closing`, async () => {
      const held = await holdPorts(1);
      releases.push(() => held.release());
      const [free] = await freePorts(1);
      const child = spawnNode([script], {
        PROMETHEUS_METRICS_EXPORT_PORT_RANGE: `${held.ports[0]},${free}`,
        PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1',
        PROMETHEUS_METRICS_EXPORT_TOKEN: 'env-token',
      });
      children.push(child);
      const ready = await child.take('ready');
      assert.equal(ready.exportPort, free, child.output);
      const url = `http://127.0.0.1:${free}/metrics`;
      assert.equal((await fetch(url)).status, 401);
      const res = await fetch(url, { headers: { Authorization: 'Bearer env-token' } });
      assert.equal(res.status, 200);
      assert.match(await res.text(), metric);

      if (script === NEST_APP) await ask(child, 'close', 'closed');
      else child.process.kill('SIGTERM');
      const { code, signal } = await child.exited;
      assert.equal(signal, null, 'the process ended by itself, not by the signal');
      assert.equal(code, 0, child.output);
      await assert.rejects(fetch(url));
    });
  }

  it('an invalid PROMETHEUS_METRICS_EXPORT_PORT is a startup error naming the variable and value', async () => {
    const child = spawnNode([PLAIN], { PROMETHEUS_METRICS_EXPORT_PORT: '70000' });
    children.push(child);
    const reported = await child.take('error');
    assert.equal(reported.name, 'PrometheusConfigError');
    assert.match(String(reported.message), /environment variable PROMETHEUS_METRICS_EXPORT_PORT is "70000"; expected an integer port from 1 to 65535/);
  });
});

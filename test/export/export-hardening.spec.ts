import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PrometheusConfigError, PrometheusEndpointServer, PrometheusEndpointThread, setupPrometheusEndpointOnPort } from 'nest-prometheus';
import { type Child, fixture, freePorts, spawnNode } from '../fixtures/child-process.js';

const NEST_APP = fixture('export-app.js');
const PLAIN = fixture('plain-exporter.js');

/** Starts `script` with `env` and waits until it reports ready, reports an error, or exits. */
async function start(script: string, env: NodeJS.ProcessEnv, children: Child[]): Promise<{ child: Child; event: Record<string, unknown> }> {
  const child = spawnNode([script], env);
  children.push(child);
  const event = await child.next((e) => e.event === 'ready' || e.event === 'error');
  return { child, event };
}

/**
 * The error the process reported, or everything it printed. Call after `child.closed`: the
 * process can be seen to exit before its last output is read.
 */
function said(child: Child, event: Record<string, unknown>): string {
  const error = event.event === 'error' ? event : child.events.find((e) => e.event === 'error');
  return error !== undefined ? String(error.message) : child.output;
}

/** Whether anything answers HTTP on the loopback port. */
async function answers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/metrics`).then(
    () => true,
    () => false,
  );
}

describe('the metrics port is never opened by an empty or unusable setting (real processes)', { concurrency: 4, timeout: 120_000 }, () => {
  const children: Child[] = [];
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
  });

  for (const script of [PLAIN, NEST_APP]) {
    const kind = script === PLAIN ? 'standalone' : 'Nest app';
    for (const token of ['', '   ']) {
      it(`${kind}: PROMETHEUS_METRICS_EXPORT_TOKEN=${JSON.stringify(token)} beside a port is a startup error, and nothing listens`, async () => {
        const [port] = await freePorts(1);
        const { child, event } = await start(script, { PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_TOKEN: token }, children);
        assert.notEqual(event.event, 'ready', `the port started: ${child.output}`);
        await child.closed;
        assert.notEqual(child.process.exitCode, 0);
        assert.match(said(child, event), /environment variable PROMETHEUS_METRICS_EXPORT_TOKEN is set but (empty|blank)/);
        assert.equal(await answers(port), false, 'nothing listens on the port');
      });
    }

    it(`${kind}: an empty PROMETHEUS_METRICS_EXPORT_ADDRESS is an error, not "all interfaces"`, async () => {
      const [port] = await freePorts(1);
      const { child, event } = await start(script, { PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_ADDRESS: '' }, children);
      assert.notEqual(event.event, 'ready', `the port started: ${child.output}`);
      await child.closed;
      assert.match(said(child, event), /environment variable PROMETHEUS_METRICS_EXPORT_ADDRESS is set but empty/);
      assert.equal(await answers(port), false);
    });

    it(`${kind}: a token no Authorization header can carry is a startup error`, async () => {
      const [port] = await freePorts(1);
      const { child, event } = await start(script, { PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_TOKEN: 'pass word' }, children);
      assert.notEqual(event.event, 'ready', `the port started: ${child.output}`);
      await child.closed;
      assert.match(said(child, event), /PROMETHEUS_METRICS_EXPORT_TOKEN is "pass word"; expected a non-empty string of visible ASCII characters without spaces/);
      assert.equal(await answers(port), false);
    });

    const addresses: Array<[string, string, RegExp]> = [
      ['not on this host', '192.0.2.1', /EADDRNOTAVAIL \(the address is not one of this host’s interfaces\)/],
      ['not resolving', 'nowhere.invalid', /(ENOTFOUND|EAI_AGAIN|EAI_FAIL) \(the host name (does not resolve|could not be resolved)/],
    ];
    for (const [title, address, reason] of addresses) {
      it(`${kind}: an export address ${title} fails with an error naming the exporter and the variable`, async () => {
        const [port] = await freePorts(1);
        const { child, event } = await start(script, { PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_ADDRESS: address }, children);
        assert.equal(event.event, 'error', child.output);
        assert.equal(event.name, 'MetricsListenError');
        const message = String(event.message);
        assert.match(message, new RegExp(`the standalone metrics exporter cannot listen on ${address.replace(/\./g, '\\.')}, port ${port}`));
        assert.match(message, reason);
        assert.match(message, /set export\.address \(PROMETHEUS_METRICS_EXPORT_ADDRESS\) to an address of this host/);
      });
    }

    it(`${kind}: a token with no port is warned about at startup (it protects nothing)`, async () => {
      const { child, event } = await start(script, { PROMETHEUS_METRICS_EXPORT_TOKEN: 's3cret' }, children);
      assert.equal(event.event, 'ready', child.output);
      assert.equal(event.exportPort, null);
      assert.match(child.output, /export\.token \(PROMETHEUS_METRICS_EXPORT_TOKEN\) is set but no metrics port is configured.*the token protects nothing/);
      assert.match(child.output, /never protects the app's \/metrics controller.*controller: \{ guards: \[\.\.\.\] \}.*controller: false/);
      if (script === NEST_APP) {
        // The exposure the warning is about: the controller answers without the token.
        const res = await fetch(`http://127.0.0.1:${event.appPort as number}/metrics`);
        assert.equal(res.status, 200);
      }
    });
  }
});

describe('endpoint servers used without the module refuse the same tokens', () => {
  for (const token of ['', 'two words', 'tökén']) {
    it(`token ${JSON.stringify(token)}`, async () => {
      const expected = (error: unknown): boolean => {
        assert.ok(error instanceof PrometheusConfigError);
        assert.match(error.message, /option `token` is .*; expected a non-empty string of visible ASCII characters without spaces/);
        return true;
      };
      assert.throws(() => new PrometheusEndpointServer({ port: 0, address: '127.0.0.1', token }), expected);
      assert.throws(() => new PrometheusEndpointThread({ port: 0, address: '127.0.0.1', token }), expected);
      await assert.rejects(setupPrometheusEndpointOnPort(0, '127.0.0.1', { token }), expected);
    });
  }
});

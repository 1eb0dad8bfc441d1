import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  MetricsPortInUseError,
  PrometheusEndpointServer,
  setupPrometheusEndpointOnPort,
  setupPrometheusEndpointOnPortRange,
  setupPrometheusExportsFromConfig,
} from 'nest-prometheus';
import { Counter, Registry } from 'prom-client';
import { freePorts, holdPorts } from '../fixtures/child-process.js';

function registryWithCounter(): Registry {
  const registry = new Registry();
  new Counter({ name: 'endpoint_test_total', help: 'A counter for the endpoint tests.', registers: [registry] }).inc(3);
  return registry;
}

class RecordingLogger {
  readonly logs: string[] = [];
  readonly warnings: string[] = [];
  log(message: string): void {
    this.logs.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
}

describe('PrometheusEndpointServer', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('serves GET and HEAD /metrics with the registry content type, 404 elsewhere, 405 for other methods', async () => {
    const registry = registryWithCounter();
    const logger = new RecordingLogger();
    const server = new PrometheusEndpointServer({ port: 0, address: '127.0.0.1', registry, logger });
    cleanups.push(() => server.close());
    await server.start();
    assert.match(logger.logs[0], new RegExp(`listening on http://127\\.0\\.0\\.1:${server.port}/metrics`));

    const res = await fetch(`http://127.0.0.1:${server.port}/metrics?x=1`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), registry.contentType);
    assert.match(await res.text(), /^endpoint_test_total 3$/m);

    const head = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/`)).status, 404);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics/x`)).status, 404);
    const post = await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  it('requires the bearer token when one is set: missing or wrong → 401, right → 200', async () => {
    const server = new PrometheusEndpointServer({ port: 0, address: '127.0.0.1', registry: registryWithCounter(), token: 's3cret', logger: new RecordingLogger() });
    cleanups.push(() => server.close());
    await server.start();
    const url = `http://127.0.0.1:${server.port}/metrics`;
    const missing = await fetch(url);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="metrics"');
    assert.doesNotMatch(await missing.text(), /endpoint_test_total/);
    assert.equal((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await fetch(url, { headers: { Authorization: 'Bearer s3cret-and-more' } })).status, 401);
    assert.equal((await fetch(url, { headers: { Authorization: 's3cret' } })).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/other`)).status, 401, 'nothing is revealed without the token');
    assert.equal((await fetch(url, { headers: { Authorization: 'Basic czNjcmV0' } })).status, 401);
    assert.equal((await fetch(url, { headers: { Authorization: 'bearer s3cret' } })).status, 200, 'the scheme is case-insensitive');
    const ok = await fetch(url, { headers: { Authorization: 'Bearer s3cret' } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /endpoint_test_total 3/);
  });

  it('answers 500 and keeps serving when the source fails', async () => {
    let fail = true;
    const registry = registryWithCounter();
    const server = new PrometheusEndpointServer({
      port: 0,
      address: '127.0.0.1',
      logger: new RecordingLogger(),
      source: async () => {
        if (fail) throw new Error('boom');
        return { contentType: registry.contentType, body: await registry.metrics() };
      },
    });
    cleanups.push(() => server.close());
    await server.start();
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 500);
    fail = false;
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/metrics`)).status, 200);
  });

  it('closes: the port refuses connections afterwards, and close() twice is harmless', async () => {
    const server = new PrometheusEndpointServer({ port: 0, address: '127.0.0.1', registry: registryWithCounter(), logger: new RecordingLogger() });
    await server.start();
    const port = server.port;
    // a keep-alive connection must not hold the close
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200);
    await server.close();
    await server.close();
    await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`));
  });
});

describe('setupPrometheusEndpointOnPort / OnPortRange / ExportsFromConfig', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('binds the port, resolves with it, and closes when the signal aborts', async () => {
    const controller = new AbortController();
    const port = await setupPrometheusEndpointOnPort(0, '127.0.0.1', { registry: registryWithCounter(), signal: controller.signal, logger: new RecordingLogger() });
    assert.ok(port > 0, `bound port ${port}`);
    assert.match(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), /endpoint_test_total 3/);
    controller.abort();
    // aborting closes the listening socket at once: the port can be bound again
    const again = new PrometheusEndpointServer({ port, address: '127.0.0.1', logger: new RecordingLogger() });
    await again.start();
    await again.close();
  });

  it('rejects with a clear error when the single port is taken', async () => {
    const held = await holdPorts(1);
    cleanups.push(() => held.release());
    const error = await setupPrometheusEndpointOnPort(held.ports[0], '127.0.0.1', { logger: new RecordingLogger() }).then(
      () => assert.fail('should have rejected'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof MetricsPortInUseError);
    assert.equal(error.port, held.ports[0]);
    assert.match(error.message, new RegExp(`metrics port ${held.ports[0]} on 127\\.0\\.0\\.1 is already in use`));
    assert.match(error.message, /PROMETHEUS_METRICS_EXPORT_PORT/);
  });

  it('a range skips the taken first ports and resolves with the one it bound', async () => {
    const held = await holdPorts(2);
    cleanups.push(() => held.release());
    const [free] = await freePorts(1);
    const controller = new AbortController();
    cleanups.push(() => controller.abort());
    const logger = new RecordingLogger();
    const port = await setupPrometheusEndpointOnPortRange([...held.ports, free], '127.0.0.1', { registry: registryWithCounter(), signal: controller.signal, logger });
    assert.equal(port, free);
    assert.equal(logger.warnings.length, 0);
    assert.equal((await fetch(`http://127.0.0.1:${free}/metrics`)).status, 200);
  });

  it('a fully taken range resolves with null and logs a warning naming the ports', async () => {
    const held = await holdPorts(3);
    cleanups.push(() => held.release());
    const logger = new RecordingLogger();
    const port = await setupPrometheusEndpointOnPortRange(held.ports, '127.0.0.1', { logger });
    assert.equal(port, null);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0], new RegExp(`no free metrics port in ${held.ports.join(', ')}`));
  });

  it('setupPrometheusExportsFromConfig: portRange wins over port; token applies; null when nothing is configured', async () => {
    const held = await holdPorts(1);
    cleanups.push(() => held.release());
    const [free] = await freePorts(1);
    const registry = registryWithCounter();
    const server = await setupPrometheusExportsFromConfig(
      { registry, export: { port: held.ports[0], portRange: [free], address: '127.0.0.1', token: 't' }, defaultMetrics: false },
      { logger: new RecordingLogger() },
    );
    assert.ok(server);
    cleanups.push(() => server.close());
    assert.equal(server.port, free);
    assert.equal((await fetch(`http://127.0.0.1:${free}/metrics`)).status, 401);
    assert.equal((await fetch(`http://127.0.0.1:${free}/metrics`, { headers: { Authorization: 'Bearer t' } })).status, 200);
    assert.equal(await setupPrometheusExportsFromConfig({ registry, defaultMetrics: false }), null);
  });
});

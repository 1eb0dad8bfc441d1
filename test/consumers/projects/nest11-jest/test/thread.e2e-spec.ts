// The worker-thread metrics port from the CommonJS build under Jest: the worker file is found
// next to the compiled code (no import.meta in CommonJS).
import { PrometheusEndpointThread } from 'nest-prometheus';
import { Gauge, Registry } from 'prom-client';

it('serves the metrics port from a worker thread', async () => {
  const registry = new Registry();
  new Gauge({ name: 'jest_thread', help: 'A gauge.', registers: [registry] }).set(2);
  const server = new PrometheusEndpointThread({ port: 0, address: '127.0.0.1', registry, logger: { log: () => undefined, warn: () => undefined } });
  try {
    await server.start();
    expect(await (await fetch(server.url)).text()).toMatch(/^jest_thread 2$/m);
  } finally {
    await server.close();
  }
});

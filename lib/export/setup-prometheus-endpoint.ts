import type { PrometheusEndpointOptions } from './prometheus-endpoint-options.interface.js';
import { PrometheusEndpointServer } from './prometheus-endpoint.server.js';
import { startEndpointOnFirstFreePort } from './start-endpoint-on-first-free-port.js';

/**
 * Starts the standalone metrics exporter (`GET /metrics`) on `port`, without the Nest module.
 * Resolves with the bound port once listening; rejects with `MetricsPortInUseError` if the port
 * is taken and with `WatchModeError` under a restarting file watcher. Abort `options.signal` to
 * close it.
 * @param address bind address; all interfaces when omitted
 * @example await setupPrometheusEndpointOnPort(9100, '0.0.0.0', { registry });
 */
export async function setupPrometheusEndpointOnPort(
  port: number,
  address?: string,
  options: PrometheusEndpointOptions = {},
): Promise<number> {
  const server = new PrometheusEndpointServer({ ...options, port, address });
  await server.start();
  return server.port;
}

/**
 * Starts the standalone metrics exporter on the first free port of `ports` (one exporter per
 * worker process when several processes share a range). Resolves with the port it bound, or with
 * `null` and a logged warning when every port is taken: the app goes on without the exporter.
 * Rejects with `WatchModeError` under a restarting file watcher.
 * @example const port = await setupPrometheusEndpointOnPortRange([8001, 8002, 8003]);
 */
export async function setupPrometheusEndpointOnPortRange(
  ports: Iterable<number>,
  address?: string,
  options: PrometheusEndpointOptions = {},
): Promise<number | null> {
  const server = await startEndpointOnFirstFreePort(ports, address, options);
  return server === null ? null : server.port;
}

import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import type { PrometheusEndpointOptions } from './prometheus-endpoint-options.interface.js';
import { PrometheusEndpointServer } from './prometheus-endpoint.server.js';
import { startEndpointOnFirstFreePort } from './start-endpoint-on-first-free-port.js';

/**
 * Starts the exporter a resolved configuration asks for: `export.portRange` (wins) or
 * `export.port`; `null` when neither is set or no port of the range is free.
 * @internal
 */
export async function startConfiguredExporter(
  config: PrometheusConfig,
  options: PrometheusEndpointOptions,
): Promise<PrometheusEndpointServer | null> {
  const { port, portRange, address, token } = config.export;
  const endpoint: PrometheusEndpointOptions = { registry: config.registry, ...options, token };
  if (portRange !== undefined) return startEndpointOnFirstFreePort(portRange, address, endpoint);
  if (port === undefined) return null;
  const server = new PrometheusEndpointServer({ ...endpoint, port, address });
  await server.start();
  return server;
}

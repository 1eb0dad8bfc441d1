import { Logger } from '@nestjs/common';
import { resolvePrometheusConfig } from '../config/resolve-prometheus-config.js';
import type { PrometheusModuleOptions } from '../interfaces/prometheus-options.interface.js';
import { directorySource } from '../multiprocess/directory-source.js';
import type { PrometheusEndpointOptions } from './prometheus-endpoint-options.interface.js';
import type { PrometheusEndpointServer } from './prometheus-endpoint.server.js';
import { startConfiguredExporter } from './start-configured-exporter.js';
import type { PrometheusEndpointThread } from './threaded/prometheus-endpoint-thread.js';

/**
 * Starts the standalone exporter the options ask for, without the Nest module:
 * `export.portRange` (wins) or `export.port`, with `export.address`, `export.token` and `export.threaded`, each
 * falling back to its `PROMETHEUS_METRICS_EXPORT_*` variable, so a call without options is
 * environment-driven. Resolves with the server, or `null` when no port is configured or no port
 * of the range is free. With `multiprocessDir` it serves the aggregate of what the processes
 * persisted there (e.g. in a cluster primary).
 * @example const server = await setupPrometheusExportsFromConfig(); // PROMETHEUS_METRICS_EXPORT_PORT=9100
 */
export async function setupPrometheusExportsFromConfig(
  config: PrometheusModuleOptions = {},
  options: Pick<PrometheusEndpointOptions, 'source' | 'signal' | 'logger'> = {},
): Promise<PrometheusEndpointServer | PrometheusEndpointThread | null> {
  const resolved = resolvePrometheusConfig(config);
  const logger = options.logger ?? new Logger('PrometheusExporter');
  const source =
    options.source ??
    (resolved.multiprocessDir === undefined
      ? undefined
      : directorySource(resolved.multiprocessDir, resolved.registry.contentType, resolved.namespace, logger));
  return startConfiguredExporter(resolved, { ...options, logger, source });
}

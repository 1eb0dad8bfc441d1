import { Logger } from '@nestjs/common';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import type { PrometheusEndpointOptions } from './prometheus-endpoint-options.interface.js';
import { PrometheusEndpointServer } from './prometheus-endpoint.server.js';
import { startEndpointOnFirstFreePort, warnNoFreePort } from './start-endpoint-on-first-free-port.js';
import { PrometheusEndpointThread } from './threaded/prometheus-endpoint-thread.js';
import { detectWatchMode } from './watch-mode/detect-watch-mode.js';
import { WatchModeError } from './watch-mode/watch-mode.error.js';

/** A started standalone exporter, in the event loop or in a worker thread. */
export type RunningExporter = PrometheusEndpointServer | PrometheusEndpointThread;

/**
 * Starts the exporter a resolved configuration asks for: `export.portRange` (wins) or
 * `export.port`, in the event loop or (`export.threaded`) in a worker thread; `null` when neither
 * is set or no port of the range is free. A token with no port protects nothing: that is warned.
 * @internal
 */
export async function startConfiguredExporter(
  config: PrometheusConfig,
  options: PrometheusEndpointOptions,
): Promise<RunningExporter | null> {
  const { port, portRange, address, token, threaded } = config.export;
  const logger = options.logger ?? new Logger('PrometheusExporter');
  const endpoint: PrometheusEndpointOptions = { registry: config.registry, ...options, logger, token };
  if (port === undefined && portRange === undefined) {
    if (token !== undefined) {
      logger.warn(
        'export.token (PROMETHEUS_METRICS_EXPORT_TOKEN) is set but no metrics port is configured (export.port / export.portRange): ' +
          'the token protects nothing. It never protects the app\'s /metrics controller, which is served to anyone who can reach the app: ' +
          'guard it with `controller: { guards: [...] }`, or turn it off with `controller: false`',
      );
    }
    return null;
  }
  if (!threaded) {
    if (portRange !== undefined) return startEndpointOnFirstFreePort(portRange, address, endpoint);
    const server = new PrometheusEndpointServer({ ...endpoint, port: port as number, address });
    await server.start();
    return server;
  }
  if (portRange === undefined) {
    const thread = new PrometheusEndpointThread({ ...endpoint, port: port as number, address });
    await thread.start();
    return thread;
  }
  const watch = detectWatchMode();
  if (watch !== undefined) throw new WatchModeError(watch);
  const thread = new PrometheusEndpointThread({ ...endpoint, port: portRange[0] as number, address });
  if (await thread.startOnFirstFree(portRange)) return thread;
  warnNoFreePort(logger, portRange, address);
  return null;
}

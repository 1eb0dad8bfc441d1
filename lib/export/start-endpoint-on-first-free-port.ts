import { Logger } from '@nestjs/common';
import type { EndpointLogger } from './endpoint-logger.interface.js';
import { MetricsListenError } from './metrics-listen.error.js';
import { MetricsPortInUseError } from './metrics-port-in-use.error.js';
import type { PrometheusEndpointOptions } from './prometheus-endpoint-options.interface.js';
import { PrometheusEndpointServer } from './prometheus-endpoint.server.js';
import { detectWatchMode } from './watch-mode/detect-watch-mode.js';
import { WatchModeError } from './watch-mode/watch-mode.error.js';

/**
 * Tries `ports` in order and keeps the first one it can bind; `null`, with a warning, when none
 * is free (or allowed). Rejects under a restarting file watcher.
 * @internal
 */
export async function startEndpointOnFirstFreePort(
  ports: Iterable<number>,
  address: string | undefined,
  options: PrometheusEndpointOptions,
): Promise<PrometheusEndpointServer | null> {
  const watch = detectWatchMode();
  if (watch !== undefined) throw new WatchModeError(watch);
  const logger = options.logger ?? new Logger('PrometheusExporter');
  const tried: number[] = [];
  for (const port of ports) {
    tried.push(port);
    const server = new PrometheusEndpointServer({ ...options, logger, port, address });
    try {
      await server.listen();
      logger.log(`metrics exporter listening on ${server.url}`);
      return server;
    } catch (error) {
      if (!isPortUnavailable(error)) throw error;
    }
  }
  warnNoFreePort(logger, tried, address);
  return null;
}

/** The warning when every port of a range is taken. @internal */
export function warnNoFreePort(logger: EndpointLogger, tried: ReadonlyArray<number>, address: string | undefined): void {
  logger.warn(
    `no free metrics port in ${tried.join(', ') || '(empty range)'}${address === undefined ? '' : ` on ${address}`}; ` +
      'the standalone metrics exporter is not running (the app continues; widen export.portRange / PROMETHEUS_METRICS_EXPORT_PORT_RANGE)',
  );
}

/** A port of a range that is taken or needs privileges: try the next one. @internal */
export function isPortUnavailable(error: unknown): boolean {
  return error instanceof MetricsPortInUseError || (error instanceof MetricsListenError && (error.code === 'EACCES' || error.code === 'EPERM'));
}

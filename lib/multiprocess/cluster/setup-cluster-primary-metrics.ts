import { resolvePrometheusConfig } from '../../config/resolve-prometheus-config.js';
import type { EndpointLogger } from '../../export/endpoint-logger.interface.js';
import { renderRegistryChunks } from '../../export/render-registry.js';
import { startConfiguredExporter, type RunningExporter } from '../../export/start-configured-exporter.js';
import type { MetricsExportOptions } from '../../interfaces/prometheus-options.interface.js';
import type { ClusterMetricsOptions } from './cluster-metrics.interface.js';
import { collectClusterMetrics } from './collect-cluster-metrics.js';

/** Options of {@link setupClusterPrimaryMetrics}. */
export interface ClusterPrimaryMetricsOptions extends ClusterMetricsOptions {
  /** Port, range, address and token; each falls back to its `PROMETHEUS_METRICS_EXPORT_*` variable. */
  readonly export?: MetricsExportOptions;
  /** Aborting it closes the exporter. */
  readonly signal?: AbortSignal;
  readonly logger?: EndpointLogger;
}

/**
 * In the `cluster` primary: serves, on the standalone metrics port, the sum of the metrics of all
 * workers (each worker answers through `PrometheusModule`, or `answerClusterMetricsRequests`).
 * The primary needs no metrics code of its own. A worker that does not answer within `timeoutMs`
 * is left out of that scrape and counted in `nest_prometheus_cluster_workers_missing`.
 * A worker that exits takes its counts with it; use `multiprocessDir` to keep them.
 * @returns the exporter, or `null` when no port is configured or no port of the range is free
 * @example if (cluster.isPrimary) { await setupClusterPrimaryMetrics({ export: { port: 9100 } }); for (…) cluster.fork(); }
 */
export async function setupClusterPrimaryMetrics(options: ClusterPrimaryMetricsOptions = {}): Promise<RunningExporter | null> {
  const config = resolvePrometheusConfig({ export: options.export, defaultMetrics: false });
  const timeoutMs = options.timeoutMs;
  return startConfiguredExporter(config, {
    signal: options.signal,
    logger: options.logger,
    source: async () => {
      const { registry } = await collectClusterMetrics({ timeoutMs });
      return { contentType: registry.contentType, chunks: renderRegistryChunks(registry) };
    },
  });
}

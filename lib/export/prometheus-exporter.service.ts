import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { MetricsExpositionService } from './metrics-exposition.service.js';
import { startConfiguredExporter, type RunningExporter } from './start-configured-exporter.js';

/**
 * Runs the standalone metrics port of the module when `export.port` or `export.portRange` (or
 * their `PROMETHEUS_METRICS_EXPORT_*` variables) is set: started in `onApplicationBootstrap`,
 * closed in `onApplicationShutdown`. It serves what the controller serves (the multi-process
 * aggregate with `multiprocessDir`), from a worker thread with `export.threaded`.
 *
 * A failure to start (a taken port, an address not on this host, watch mode) rejects
 * `onApplicationBootstrap`, so it stops the whole app, not only the exporter.
 */
@Injectable()
export class PrometheusExporterService implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: RunningExporter | null = null;

  constructor(
    @Inject(PROMETHEUS_CONFIG) private readonly config: PrometheusConfig,
    private readonly exposition: MetricsExpositionService,
  ) {}

  /** The running exporter's port, or `null` when none runs. */
  get port(): number | null {
    return this.server?.port ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.server = await startConfiguredExporter(this.config, { source: () => this.exposition.stream() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
    this.server = null;
  }
}

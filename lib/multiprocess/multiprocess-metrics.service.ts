import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { PROMETHEUS_CONFIG, PROMETHEUS_REGISTRY } from '../prometheus.constants.js';
import { aggregateSnapshots } from './aggregate-snapshots.js';
import { MultiprocessDirectory } from './multiprocess-directory.js';
import { MULTIPROCESS_WRITE_INTERVAL_MS } from './multiprocess-defaults.js';
import { addSkippedFilesGauge } from './skipped-files-gauge.js';
import { snapshotRegistry } from './snapshot-registry.js';

/**
 * With `multiprocessDir` set: persists this process's registry there (every second, on demand
 * and at shutdown, off the request path) and merges the files of every process into the
 * aggregate the controller and the standalone port serve. Without it: does nothing.
 */
@Injectable()
export class MultiprocessMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PrometheusMultiprocess');
  private readonly directory?: MultiprocessDirectory;
  private timer?: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;
  private writes = 0;

  private readonly namespace: string;

  constructor(
    @Inject(PROMETHEUS_CONFIG) config: PrometheusConfig,
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
  ) {
    this.namespace = config.namespace;
    if (config.multiprocessDir !== undefined) this.directory = new MultiprocessDirectory(config.multiprocessDir, this.logger);
  }

  /** Whether `multiprocessDir` is set. */
  get enabled(): boolean {
    return this.directory !== undefined;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.directory === undefined) return;
    try {
      await this.flush();
    } catch (error) {
      throw new Error(
        `nest-prometheus: option \`multiprocessDir\` (PROMETHEUS_MULTIPROC_DIR) is "${this.directory.dir}", which cannot be written: ` +
          `${(error as Error).message}; expected a directory this process can create and write`,
      );
    }
    this.timer = setInterval(() => this.writes === 0 && void this.flush().catch((e: Error) => this.logger.warn(`write failed: ${e.message}`)), MULTIPROCESS_WRITE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.directory === undefined || this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    await this.enqueue(true);
  }

  /**
   * Writes this process's current values to its file now (also done every second): when it
   * resolves, the file holds every value recorded before the call.
   */
  async flush(): Promise<void> {
    if (this.directory === undefined || this.stopped) return;
    await this.enqueue(false);
  }

  /** Writes one after the other, so an older snapshot never replaces a newer one. */
  private enqueue(exited: boolean): Promise<void> {
    const directory = this.directory as MultiprocessDirectory;
    this.writes++;
    const write = this.queue
      .then(async () => directory.write(await snapshotRegistry(this.registry, exited)))
      .finally(() => this.writes--);
    this.queue = write.catch(() => undefined);
    return write;
  }

  /** The merged registry: this process's live values plus every other process's last file. */
  async aggregate(): Promise<Registry> {
    if (this.directory === undefined) return this.registry;
    const own = await snapshotRegistry(this.registry);
    const { inputs, skipped } = await this.directory.read(this.directory.ownFile, own);
    const aggregate = await aggregateSnapshots([{ snapshot: own, gone: false }, ...inputs], this.registry.contentType);
    addSkippedFilesGauge(aggregate, this.namespace, skipped);
    return aggregate;
  }
}

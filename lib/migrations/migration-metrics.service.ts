import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { findProviderInstances } from '../discovery/find-provider-instances.js';
import { dataSourceName, isTypeOrmDataSource, type TypeOrmDataSourceLike } from '../discovery/is-typeorm-data-source.js';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { ensureMigrationGauges, type MigrationSource } from './migration-gauges.js';
import { MIGRATIONS_READ_TIMEOUT_MS, MIGRATIONS_RETRY_INTERVAL_MS } from './migration-metrics.constants.js';
import { readTypeOrmMigrations, type MigrationCounts } from './read-typeorm-migrations.js';
import { withTimeout } from './with-timeout.js';
import { onMigrationRuns } from './wrap-migration-runs.js';

/** One TypeORM DataSource's migration state. */
class ConnectionMigrations implements MigrationSource {
  private known?: MigrationCounts;
  private reading?: Promise<void>;
  /** A read started by a migration run: a scrape waits for it (bounded by the read timeout). */
  private awaited?: Promise<void>;
  private lastAttempt = 0;
  private warned = false;

  constructor(
    readonly connection: string,
    private readonly dataSource: TypeOrmDataSourceLike,
    private readonly logger: Logger,
  ) {}

  counts(): MigrationCounts | undefined {
    return this.known;
  }

  beforeScrape(): Promise<void> | undefined {
    if (this.known === undefined && this.reading === undefined && Date.now() - this.lastAttempt >= MIGRATIONS_RETRY_INTERVAL_MS) void this.read();
    return this.awaited;
  }

  /** Reads the table in the background; never rejects. */
  read(): Promise<void> {
    this.lastAttempt = Date.now();
    const reading = withTimeout(readTypeOrmMigrations(this.dataSource), MIGRATIONS_READ_TIMEOUT_MS, 'reading the migrations table').then(
      (counts) => {
        this.known = counts;
      },
      (error: unknown) => this.warnOnce(error),
    );
    const tracked = reading.finally(() => {
      if (this.reading === tracked) this.reading = undefined;
    });
    this.reading = tracked;
    return tracked;
  }

  afterMigrationRun(): void {
    const run = this.read();
    this.awaited = run;
    void run.finally(() => {
      if (this.awaited === run) this.awaited = undefined;
    });
  }

  settled(): Promise<void> {
    return this.reading ?? Promise.resolve();
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `migration gauges for connection "${this.connection}" are not exported yet: ${reason}. ` +
        `The app runs on; the read is retried on a scrape at most every ${MIGRATIONS_RETRY_INTERVAL_MS / 1000} s and after migrations run.`,
    );
  }
}

/**
 * With `exportMigrations`: `nestjs_migrations_applied_total` and `nestjs_migrations_unapplied_total`
 * per TypeORM DataSource found among the app's providers. The first read starts at bootstrap in the
 * background (bootstrap never waits for the database); the gauges are absent until a read succeeds.
 * Values refresh after every `runMigrations()` / `undoLastMigration()` of the DataSource in this
 * process (a scrape waits for that read), on {@link MigrationMetricsService.refresh}, and — while no
 * read has succeeded yet — on a scrape at most every 30 s.
 */
@Injectable()
export class MigrationMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('PrometheusMigrations');
  private connections: ConnectionMigrations[] = [];
  private readonly stops: Array<() => void> = [];

  constructor(
    @Inject(PROMETHEUS_CONFIG) private readonly config: PrometheusConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.exportMigrations) return;
    const found = findProviderInstances(this.discovery, isTypeOrmDataSource);
    if (found.length === 0) return;
    const gauges = ensureMigrationGauges(this.config.registry, this.config.namespace);
    this.connections = found.map(({ token, instance }) => new ConnectionMigrations(dataSourceName(token, instance), instance, this.logger));
    for (const [index, connection] of this.connections.entries()) {
      this.stops.push(gauges.add(connection));
      this.stops.push(onMigrationRuns(found[index]!.instance, () => connection.afterMigrationRun()));
      void connection.read();
    }
  }

  onApplicationShutdown(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Reads every connection's migrations table now; resolves (never rejects) when the gauges hold the result. */
  async refresh(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.read()));
  }

  /** Resolves when the reads in flight (the one started at bootstrap, say) have finished. */
  async settled(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.settled()));
  }
}

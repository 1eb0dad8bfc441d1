import { join, resolve } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { findProviderInstances } from '../discovery/find-provider-instances.js';
import { dataSourceName, isTypeOrmDataSource } from '../discovery/is-typeorm-data-source.js';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { isPrismaClient } from './prisma-client-like.js';
import { prismaMigrationsSettings } from './monitor-prisma-migrations.js';
import { readPrismaMigrations } from './read-prisma-migrations.js';
import { ConnectionMigrations } from './connection-migrations.js';
import { ensureMigrationGauges } from './migration-gauges.js';
import { readTypeOrmMigrations } from './read-typeorm-migrations.js';
import { onMigrationRuns } from './wrap-migration-runs.js';

/**
 * With `exportMigrations`: `nestjs_migrations_applied_total` and `nestjs_migrations_unapplied_total`
 * per TypeORM DataSource and per Prisma client found among the app's providers (Prisma: the
 * `_prisma_migrations` table against the migrations folder, see `monitorPrismaMigrations`). The first read starts at bootstrap in the
 * background (bootstrap never waits for the database); the gauges are absent until a read succeeds.
 * Values refresh after every `runMigrations()` / `undoLastMigration()` of a TypeORM DataSource in this
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
    const dataSources = findProviderInstances(this.discovery, isTypeOrmDataSource);
    const prismaClients = findProviderInstances(this.discovery, isPrismaClient);
    if (dataSources.length + prismaClients.length === 0) return;
    const gauges = ensureMigrationGauges(this.config.registry, this.config.namespace);
    for (const { token, instance } of dataSources) {
      const connection = new ConnectionMigrations(dataSourceName(token, instance), () => readTypeOrmMigrations(instance), this.logger);
      this.stops.push(onMigrationRuns(instance, () => connection.afterMigrationRun()));
      this.connections.push(connection);
    }
    for (const { instance } of prismaClients) {
      const settings = prismaMigrationsSettings(instance);
      const dir = resolve(settings.migrationsDir ?? join('prisma', 'migrations'));
      this.connections.push(new ConnectionMigrations(settings.connection ?? 'prisma', () => readPrismaMigrations(instance, dir), this.logger));
    }
    for (const connection of this.connections) {
      this.stops.push(gauges.add(connection));
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

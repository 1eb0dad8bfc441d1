import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PrometheusConfig } from '../../config/prometheus-config.interface.js';
import { findProviderInstances } from '../../discovery/find-provider-instances.js';
import { PROMETHEUS_CONFIG } from '../../prometheus.constants.js';
import { DEFAULT_DB_ALIAS } from '../resolve-db-series.js';
import { isDataSourceLike } from './data-source-like.interface.js';
import { instrumentDataSource } from './instrument-data-source.js';

/** `@nestjs/typeorm` registers a named DataSource under the token `<name>DataSource`. */
function aliasFromToken(token: unknown): string | undefined {
  if (typeof token !== 'string' || !token.endsWith('DataSource') || token === 'DataSource') return undefined;
  return token.slice(0, -'DataSource'.length);
}

/**
 * When `database` is on, finds every TypeORM `DataSource` among the app's providers (duck-typed;
 * TypeORM is never imported) as the app starts, and measures it under its name.
 * @internal
 */
@Injectable()
export class TypeOrmInstrumentation implements OnModuleInit {
  constructor(
    @Inject(PROMETHEUS_CONFIG) private readonly config: PrometheusConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    if (!this.config.database) return;
    try {
      for (const { token, instance } of findProviderInstances(this.discovery, isDataSourceLike)) {
        const alias = instance.options.name ?? aliasFromToken(token) ?? DEFAULT_DB_ALIAS;
        instrumentDataSource(instance, alias, this.config);
      }
    } catch (error) {
      new Logger('PrometheusModule').warn(`Database metrics off: finding the TypeORM DataSources failed: ${String(error)}`);
    }
  }
}

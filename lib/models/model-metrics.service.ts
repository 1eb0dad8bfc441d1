import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { findProviderInstances } from '../discovery/find-provider-instances.js';
import { isTypeOrmDataSource } from '../discovery/is-typeorm-data-source.js';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { installModelSubscriber } from './install-model-subscriber.js';
import { ensureModelCounters, zeroModelSeries } from './model-counters.js';
import { monitoredModelName } from './monitor-model.decorator.js';

/**
 * Counts inserts, updates and deletes of `@MonitorModel` entities on every TypeORM DataSource among
 * the app's providers, and creates their series at 0 at bootstrap. Does nothing when no DataSource
 * has a monitored entity.
 * @internal
 */
@Injectable()
export class ModelMetricsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly stops: Array<() => void> = [];

  constructor(
    @Inject(PROMETHEUS_CONFIG) private readonly config: PrometheusConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    for (const { instance } of findProviderInstances(this.discovery, isTypeOrmDataSource)) {
      const models = new Set(instance.entityMetadatas.map((m) => monitoredModelName(m.target)).filter((n): n is string => n !== undefined));
      if (models.size === 0) continue;
      const counters = ensureModelCounters(this.config.registry, this.config.namespace);
      for (const model of models) zeroModelSeries(counters, model);
      this.stops.push(installModelSubscriber(instance, counters));
    }
  }

  onApplicationShutdown(): void {
    for (const stop of this.stops.splice(0)) stop();
  }
}

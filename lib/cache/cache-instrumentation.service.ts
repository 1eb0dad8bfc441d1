import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { findProviderInstances } from '../discovery/find-provider-instances.js';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { instrumentCacheManager, isCacheInstrumented } from './instrument-cache-manager.js';
import { isCacheManager } from './is-cache-manager.js';

/**
 * When `cache` is on, finds the app's cache managers at bootstrap (`@nestjs/cache-manager`'s
 * `CACHE_MANAGER`, or any provider shaped like a cache-manager 7 cache) and counts their reads. A
 * cache already instrumented (by `instrumentCacheManager`, or by another app) is left as it is.
 * A failure here is logged and never stops the app.
 * @internal
 */
@Injectable()
export class CacheInstrumentation implements OnApplicationBootstrap {
  constructor(
    @Inject(PROMETHEUS_CONFIG) private readonly config: PrometheusConfig,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.cache) return;
    try {
      for (const { instance } of findProviderInstances(this.discovery, isCacheManager)) {
        // instrumented already: by hand (its options win) or by another app's module (counted once)
        if (isCacheInstrumented(instance)) continue;
        instrumentCacheManager(instance, { registry: this.config.registry, namespace: this.config.namespace });
      }
    } catch (error) {
      new Logger('PrometheusModule').warn(`cache metrics off: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

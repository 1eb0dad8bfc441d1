import type { FactoryProvider } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { PROMETHEUS_CONFIG, PROMETHEUS_REGISTRY } from '../prometheus.constants.js';
import { ensureDefaultMetrics } from './ensure-default-metrics.js';

/**
 * Provides the module's registry. Default metrics start here, when the module is instantiated,
 * never when `forRoot()` is called or a file is imported.
 * @internal
 */
export const registryProvider: FactoryProvider<Registry> = {
  provide: PROMETHEUS_REGISTRY,
  useFactory: (config: PrometheusConfig): Registry => {
    ensureDefaultMetrics(config.registry, config.defaultMetrics);
    return config.registry;
  },
  inject: [PROMETHEUS_CONFIG],
};

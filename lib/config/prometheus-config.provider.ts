import type { FactoryProvider } from '@nestjs/common';
import type { PrometheusModuleOptions } from '../interfaces/prometheus-options.interface.js';
import { PROMETHEUS_CONFIG, PROMETHEUS_MODULE_OPTIONS } from '../prometheus.constants.js';
import type { PrometheusConfig } from './prometheus-config.interface.js';
import { resolvePrometheusConfig } from './resolve-prometheus-config.js';

/** The one place raw options become the resolved configuration. @internal */
export const prometheusConfigProvider: FactoryProvider<PrometheusConfig> = {
  provide: PROMETHEUS_CONFIG,
  useFactory: (options: PrometheusModuleOptions | undefined): PrometheusConfig => resolvePrometheusConfig(options ?? {}),
  inject: [PROMETHEUS_MODULE_OPTIONS],
};

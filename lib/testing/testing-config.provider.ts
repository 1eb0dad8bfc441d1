import type { FactoryProvider } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { resolvePrometheusConfig } from '../config/resolve-prometheus-config.js';
import type { PrometheusModuleOptions } from '../interfaces/prometheus-options.interface.js';
import { PROMETHEUS_CONFIG, PROMETHEUS_MODULE_OPTIONS } from '../prometheus.constants.js';

/** No environment at all: a test app depends on its options only, never on `PROMETHEUS_*` variables. */
const NO_ENVIRONMENT: NodeJS.ProcessEnv = Object.freeze({});

/**
 * The resolved configuration of a test app: options and defaults only, so a
 * `PROMETHEUS_METRICS_EXPORT_PORT` (or any other `PROMETHEUS_*` variable) set in the shell that
 * runs the tests opens no port and changes no metric. Without a `registry` option every app
 * instance gets a fresh `Registry` here, when the app is created: one module class declared once
 * at the top of a spec file and started by several tests still gives each app its own registry.
 * @internal
 */
export const testingConfigProvider: FactoryProvider<PrometheusConfig> = {
  provide: PROMETHEUS_CONFIG,
  useFactory: (options: PrometheusModuleOptions | undefined): PrometheusConfig => resolvePrometheusConfig({ ...options, registry: options?.registry ?? new Registry() }, NO_ENVIRONMENT),
  inject: [PROMETHEUS_MODULE_OPTIONS],
};

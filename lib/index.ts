export { PrometheusModule } from './prometheus.module.js';
export type { PrometheusModuleAsyncOptions, PrometheusModuleRootOptions } from './prometheus.module-definition.js';
export { PROMETHEUS_CONFIG, PROMETHEUS_REGISTRY } from './prometheus.constants.js';
export type {
  DefaultMetricsOption,
  HttpMetricsOptions,
  MetricsControllerOptions,
  MetricsExportOptions,
  PrometheusModuleExtras,
  PrometheusModuleOptions,
  ViewLabelMode,
} from './interfaces/prometheus-options.interface.js';
export type { PrometheusConfig } from './config/prometheus-config.interface.js';
export { PrometheusConfigError } from './config/prometheus-config.error.js';
export { resolvePrometheusConfig } from './config/resolve-prometheus-config.js';
export { DEFAULT_LATENCY_BUCKETS } from './config/prometheus-defaults.js';
export { MetricsController } from './controller/metrics.controller.js';
export { MetricsExpositionService, type MetricsExposition } from './export/metrics-exposition.service.js';
export { renderRegistry, type RenderRegistryOptions } from './export/render-registry.js';
export { InjectMetric } from './metrics/inject-metric.decorator.js';
export { getMetricToken } from './metrics/metric-token.js';
export { makeCounterProvider, makeGaugeProvider, makeHistogramProvider, makeSummaryProvider } from './metrics/metric.providers.js';
export { InjectRegistry } from './registry/inject-registry.decorator.js';

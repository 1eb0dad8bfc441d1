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
export { MetricsExpositionService, type MetricsExposition, type StreamedMetricsExposition } from './export/metrics-exposition.service.js';
export { renderRegistry, renderRegistryChunks, type RenderRegistryChunksOptions, type RenderRegistryOptions } from './export/render-registry.js';
export { InjectMetric } from './metrics/inject-metric.decorator.js';
export { getMetricToken } from './metrics/metric-token.js';
export { makeCounterProvider, makeGaugeProvider, makeHistogramProvider, makeSummaryProvider } from './metrics/metric.providers.js';
export { InjectRegistry } from './registry/inject-registry.decorator.js';
export { PrometheusEndpointServer } from './export/prometheus-endpoint.server.js';
export { METRICS_PATH } from './export/metrics-request-handler.js';
export type { PrometheusEndpointOptions, PrometheusEndpointServerOptions } from './export/prometheus-endpoint-options.interface.js';
export type { EndpointLogger } from './export/endpoint-logger.interface.js';
export type { MetricsSource } from './export/metrics-source.js';
export { MetricsPortInUseError } from './export/metrics-port-in-use.error.js';
export { MetricsListenError } from './export/metrics-listen.error.js';
export type { RunningExporter } from './export/start-configured-exporter.js';
export { setupPrometheusEndpointOnPort, setupPrometheusEndpointOnPortRange } from './export/setup-prometheus-endpoint.js';
export { setupPrometheusExportsFromConfig } from './export/setup-prometheus-exports-from-config.js';
export { PrometheusExporterService } from './export/prometheus-exporter.service.js';
export { detectWatchMode, type WatchModeDetection } from './export/watch-mode/detect-watch-mode.js';
export { WatchModeError } from './export/watch-mode/watch-mode.error.js';
export { MultiprocessMetricsService } from './multiprocess/multiprocess-metrics.service.js';
export { sumAcrossProcesses } from './multiprocess/multiprocess-mode.js';
export { PID_LABEL } from './multiprocess/aggregate-snapshots.js';
export { answerClusterMetricsRequests } from './multiprocess/cluster/answer-cluster-metrics-requests.js';
export { collectClusterMetrics, MISSING_WORKERS_METRIC } from './multiprocess/cluster/collect-cluster-metrics.js';
export type { ClusterMetrics, ClusterMetricsOptions } from './multiprocess/cluster/cluster-metrics.interface.js';
export { setupClusterPrimaryMetrics, type ClusterPrimaryMetricsOptions } from './multiprocess/cluster/setup-cluster-primary-metrics.js';
export { PrometheusEndpointThread, type PrometheusEndpointThreadOptions } from './export/threaded/prometheus-endpoint-thread.js';
export { SkipMetrics } from './http/skip-metrics.decorator.js';
export { HttpMetricsInterceptor } from './http/http-metrics.interceptor.js';
export { BODY_BYTES_BUCKETS, INVALID_METHOD, UNNAMED_VIEW } from './http/http.constants.js';
export { MigrationMetricsService } from './migrations/migration-metrics.service.js';
export { MonitorModel } from './models/monitor-model.decorator.js';
export { prismaModelMetrics, type PrismaModelMetricsExtension, type PrismaModelMetricsOptions } from './models/prisma-model-metrics.js';
export { monitorPrismaMigrations, type PrismaMigrationsOptions } from './migrations/monitor-prisma-migrations.js';
export type { DbVendor } from './database/db-vendor.js';
export type { DbErrorType } from './database/db-error-type.js';
export type { DbInstrumentOptions } from './database/db-instrument-options.interface.js';
export { instrumentPg } from './database/pg/instrument-pg.js';
export type { PgClientLike, PgPoolLike } from './database/pg/pg-like.interface.js';
export { instrumentMysql2 } from './database/mysql2/instrument-mysql2.js';
export type { Mysql2ConnectionConfigLike, Mysql2Like } from './database/mysql2/mysql2-like.interface.js';
export { instrumentBetterSqlite3 } from './database/better-sqlite3/instrument-better-sqlite3.js';
export type { BetterSqlite3DatabaseLike, BetterSqlite3StatementLike } from './database/better-sqlite3/better-sqlite3-like.interface.js';
export { instrumentDataSource } from './database/typeorm/instrument-data-source.js';
export type { DataSourceLike } from './database/typeorm/data-source-like.interface.js';
export {
  prismaMetricsExtension,
  type PrismaMetricsExtension,
  type PrismaMetricsOptions,
  type PrismaOperationParams,
} from './database/prisma/prisma-metrics-extension.js';
export { instrumentCacheManager } from './cache/instrument-cache-manager.js';
export type { CacheManagerLike, InstrumentCacheOptions } from './cache/cache-manager-like.interface.js';

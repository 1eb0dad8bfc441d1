import { ConfigurableModuleBuilder, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CacheInstrumentation } from './cache/cache-instrumentation.service.js';
import { prometheusConfigProvider } from './config/prometheus-config.provider.js';
import { createMetricsController } from './controller/create-metrics-controller.js';
import { MetricsExpositionService } from './export/metrics-exposition.service.js';
import { PrometheusExporterService } from './export/prometheus-exporter.service.js';
import { TypeOrmInstrumentation } from './database/typeorm/typeorm-instrumentation.service.js';
import { handlerHooksFallbackProviders } from './http/handler-hooks-fallback.js';
import { HttpInstrumentation } from './http/http-instrumentation.service.js';
import { HttpMetricsInterceptor } from './http/http-metrics.interceptor.js';
import type { PrometheusModuleExtras, PrometheusModuleOptions } from './interfaces/prometheus-options.interface.js';
import { MigrationMetricsService } from './migrations/migration-metrics.service.js';
import { ModelMetricsService } from './models/model-metrics.service.js';
import { ClusterWorkerMetricsService } from './multiprocess/cluster/cluster-worker-metrics.service.js';
import { MultiprocessMetricsService } from './multiprocess/multiprocess-metrics.service.js';
import { PROMETHEUS_CONFIG, PROMETHEUS_MODULE_OPTIONS, PROMETHEUS_REGISTRY } from './prometheus.constants.js';
import { registryProvider } from './registry/registry.provider.js';

const DEFAULT_EXTRAS: PrometheusModuleExtras = { isGlobal: true, controller: undefined };

function assemble(definition: DynamicModule, extras: PrometheusModuleExtras): DynamicModule {
  return {
    ...definition,
    global: extras.isGlobal ?? true,
    // Integrations (database, cache, migrations, models) find the app's DataSources and cache managers here.
    imports: [...(definition.imports ?? []), DiscoveryModule],
    providers: [
      ...(definition.providers ?? []),
      prometheusConfigProvider,
      registryProvider,
      MetricsExpositionService,
      MultiprocessMetricsService,
      ClusterWorkerMetricsService,
      PrometheusExporterService,
      HttpInstrumentation,
      HttpMetricsInterceptor,
      MigrationMetricsService,
      ModelMetricsService,
      TypeOrmInstrumentation,
      ...handlerHooksFallbackProviders(),
      CacheInstrumentation,
    ],
    controllers: extras.controller === false ? [] : [createMetricsController(extras.controller)],
    exports: [
      PROMETHEUS_CONFIG,
      PROMETHEUS_REGISTRY,
      MetricsExpositionService,
      MultiprocessMetricsService,
      PrometheusExporterService,
      HttpMetricsInterceptor,
      MigrationMetricsService,
    ],
  };
}

const {
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PrometheusModuleOptions>({
  optionsInjectionToken: PROMETHEUS_MODULE_OPTIONS,
  moduleName: 'Prometheus',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createPrometheusOptions')
  .setExtras<PrometheusModuleExtras>(DEFAULT_EXTRAS, assemble)
  .build();

/** The base class Nest's `ConfigurableModuleBuilder` made; `PrometheusModule` extends it (public: its declaration names it). */
export const ConfigurablePrometheusModule = ConfigurableModuleClass;
/** What `PrometheusModule.forRoot()` takes: the options plus `isGlobal` and `controller`. */
export type PrometheusModuleRootOptions = typeof OPTIONS_TYPE;
/** What `PrometheusModule.forRootAsync()` takes: `imports`, `inject`, `useFactory | useClass | useExisting`, `isGlobal`, `controller`. */
export type PrometheusModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE;

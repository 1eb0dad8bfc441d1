import type { PrometheusModuleRootOptions } from '../prometheus.module-definition.js';

/**
 * Options of `PrometheusTestingModule.forRoot()`: those of `PrometheusModule.forRoot()` without
 * `export` (a test app never opens a metrics port). `registry` defaults to a fresh `Registry` per
 * app instance and `defaultMetrics` to `false`.
 */
export type PrometheusTestingModuleOptions = Omit<PrometheusModuleRootOptions, 'export'>;

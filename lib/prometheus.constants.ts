/** Injection token of the raw options passed to `forRoot`/`forRootAsync`. @internal */
export const PROMETHEUS_MODULE_OPTIONS = Symbol('PrometheusModuleOptions');

/** Injection token of the resolved configuration (options > environment > defaults). */
export const PROMETHEUS_CONFIG = Symbol('PrometheusConfig');

/** Injection token of the prom-client `Registry` the module writes to. */
export const PROMETHEUS_REGISTRY = Symbol('PrometheusRegistry');

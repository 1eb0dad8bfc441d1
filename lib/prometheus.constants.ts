/** Injection token of the raw options passed to `forRoot`/`forRootAsync`. @internal */
export const PROMETHEUS_MODULE_OPTIONS = Symbol.for('nest-prometheus:PrometheusModuleOptions');

/** Injection token of the resolved configuration (options > environment > defaults). */
export const PROMETHEUS_CONFIG = Symbol.for('nest-prometheus:PrometheusConfig');

/** Injection token of the prom-client `Registry` the module writes to. */
export const PROMETHEUS_REGISTRY = Symbol.for('nest-prometheus:PrometheusRegistry');

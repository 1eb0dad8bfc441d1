import type { Registry } from 'prom-client';

/**
 * Where and under which labels an instrumented database instance is counted. Inside a Nest app,
 * spread the resolved configuration (`@Inject(PROMETHEUS_CONFIG)`) so that registry, namespace and
 * buckets match the module's: `instrumentPg(pool, { ...config, alias: 'reports' })`.
 */
export interface DbInstrumentOptions {
  /** The `alias` label (django's connection name). @default 'default' */
  readonly alias?: string;
  /** Registry to count on. @default prom-client's global `register` */
  readonly registry?: Registry;
  /** Metric-name prefix, as the module's `namespace` option. @default '' */
  readonly namespace?: string;
  /** Upper bounds of `nestjs_db_query_duration_seconds`. @default DEFAULT_LATENCY_BUCKETS */
  readonly latencyBuckets?: ReadonlyArray<number>;
}

import { register } from 'prom-client';
import { DEFAULT_LATENCY_BUCKETS } from '../config/prometheus-defaults.js';
import type { DbInstrumentOptions } from './db-instrument-options.interface.js';
import type { DbSeries } from './db-series.js';
import type { DbVendor } from './db-vendor.js';
import { ensureDbMetrics } from './ensure-db-metrics.js';

/** The default `alias`, as django's `DATABASES['default']` and TypeORM's default DataSource name. */
export const DEFAULT_DB_ALIAS = 'default';

/**
 * The series an instrumentation writes to: registers the families on the options' registry (once)
 * and returns the `alias`/`vendor` series, which exists at 0 from now on.
 * @internal
 */
export function resolveDbSeries(vendor: DbVendor, options: DbInstrumentOptions = {}): DbSeries {
  const alias = options.alias ?? DEFAULT_DB_ALIAS;
  if (typeof alias !== 'string' || alias === '') {
    throw new TypeError(`nest-prometheus: database alias is ${JSON.stringify(alias)}; expected a non-empty string`);
  }
  const store = ensureDbMetrics(options.registry ?? register, options.namespace ?? '', options.latencyBuckets ?? DEFAULT_LATENCY_BUCKETS);
  return store.seriesFor(alias, vendor);
}

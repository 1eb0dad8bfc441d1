import type { DbMetricsStore } from './db-metrics.store.js';
import type { DbSeries } from './db-series.js';

/** One exposed sample. @internal */
export interface DbSample {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** How one database family reads the store. @internal */
export interface DbMetricFamily {
  /** Name without namespace. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly read: (store: DbMetricsStore, name: string) => DbSample[];
}

function perSeries(pick: (s: DbSeries) => number) {
  return (store: DbMetricsStore): DbSample[] =>
    [...store.series.values()].map((s) => ({ value: pick(s), labels: { alias: s.alias, vendor: s.vendor } }));
}

function errors(store: DbMetricsStore): DbSample[] {
  const out: DbSample[] = [];
  for (const s of store.series.values()) {
    for (const [type, value] of s.errors) out.push({ value, labels: { alias: s.alias, vendor: s.vendor, type } });
  }
  return out;
}

function durations(store: DbMetricsStore, name: string): DbSample[] {
  const out: DbSample[] = [];
  for (const s of store.series.values()) {
    const labels = { alias: s.alias, vendor: s.vendor };
    const h = s.duration;
    let cumulative = 0;
    h.bounds.forEach((bound, i) => {
      cumulative += h.counts[i]!;
      out.push({ metricName: `${name}_bucket`, value: cumulative, labels: { ...labels, le: bound } });
    });
    out.push({ metricName: `${name}_bucket`, value: h.count, labels: { ...labels, le: '+Inf' } });
    out.push({ metricName: `${name}_sum`, value: h.sum, labels });
    out.push({ metricName: `${name}_count`, value: h.count, labels });
  }
  return out;
}

/**
 * The six database families of SPEC §4.3 (django-prometheus's `django_db_*`), in exposition order.
 * @internal
 */
export const DB_METRIC_FAMILIES: ReadonlyArray<DbMetricFamily> = Object.freeze([
  {
    name: 'nestjs_db_new_connections_total',
    help: 'Physical database connections attempted, failures included.',
    type: 'counter',
    read: perSeries((s) => s.newConnections),
  },
  {
    name: 'nestjs_db_new_connection_errors_total',
    help: 'Physical database connection attempts that failed.',
    type: 'counter',
    read: perSeries((s) => s.newConnectionErrors),
  },
  {
    name: 'nestjs_db_execute_total',
    help: 'Statements executed, counted before they run; a bulk operation counts its rows.',
    type: 'counter',
    read: perSeries((s) => s.executes),
  },
  {
    name: 'nestjs_db_execute_many_total',
    help: 'Rows executed through bulk operations (executemany, multi-row ORM inserts).',
    type: 'counter',
    read: perSeries((s) => s.executeMany),
  },
  {
    name: 'nestjs_db_errors_total',
    help: 'Failed statements by DB-API error class (IntegrityError, ProgrammingError, OperationalError, …).',
    type: 'counter',
    read: errors,
  },
  {
    name: 'nestjs_db_query_duration_seconds',
    help: 'Duration of each statement, successful or failed, in seconds.',
    type: 'histogram',
    read: durations,
  },
]);

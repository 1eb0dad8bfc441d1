import type { DbInstrumentOptions } from '../db-instrument-options.interface.js';
import type { DbSeries } from '../db-series.js';
import { measureAsync } from '../measured-call.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { resolveDbSeries } from '../resolve-db-series.js';
import type { PgClientLike, PgPoolLike } from './pg-like.interface.js';
import { processShared } from '../../shared/process-shared.js';

/** Pools and clients already measured: instrumenting twice must not count twice. */
const measured = processShared('db-pg-measured:v1', () => new WeakSet<object>());

function isPool(target: PgPoolLike | PgClientLike): target is PgPoolLike {
  return typeof (target as PgPoolLike).Client === 'function' && typeof (target as PgPoolLike).on === 'function' && 'totalCount' in target;
}

function measureConnect(client: PgClientLike, series: DbSeries): void {
  const connect = client.connect;
  client.connect = function measuredConnect(this: unknown, ...args: unknown[]) {
    series.connectionStarted();
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = function connected(this: unknown, error: unknown, ...rest: unknown[]) {
        if (error !== null && error !== undefined) series.connectionFailed();
        return Reflect.apply(last, this, [error, ...rest]);
      };
      return Reflect.apply(connect, this, args);
    }
    const result = Reflect.apply(connect, this, args) as Promise<unknown>;
    return result.then(
      (value) => value,
      (error: unknown) => {
        series.connectionFailed();
        throw error;
      },
    );
  };
}

/** Wraps one client's `query` (and, for clients it creates, `connect`) on the instance itself. */
function measureClient(client: PgClientLike, series: DbSeries, countConnect: boolean): void {
  if (measured.has(client)) return;
  measured.add(client);
  const query = client.query;
  client.query = function measuredQuery(this: unknown) {
    return measureAsync(series, query as (...args: unknown[]) => unknown, this, arguments);
  };
  if (countConnect) measureConnect(client, series);
}

function measurePool(pool: PgPoolLike, series: DbSeries): void {
  // Connections the pool opened before it was handed to us (TypeORM opens one at initialisation).
  series.newConnections += pool.totalCount;
  // Every client the pool creates from now on: its connection attempt and its statements.
  const Base = pool.Client;
  pool.Client = class MeasuredPgClient extends Base {
    constructor(...args: any[]) {
      super(...args);
      try {
        measureClient(this, series, true);
      } catch (error) {
        reportInstrumentationFailure('instrumenting a pg client', error);
      }
    }
  };
  // Clients it already holds are measured when they are next checked out, before their first query.
  pool.on('acquire', (client: PgClientLike) => {
    try {
      measureClient(client, series, false);
    } catch (error) {
      reportInstrumentationFailure('instrumenting a pooled pg client', error);
    }
  });
}

/**
 * Counts the statements and connections of one `pg` `Pool` or `Client` (this instance only, never
 * the driver's prototypes) under `alias` with `vendor="postgresql"`: every `query()` (callback,
 * promise or submittable), and for a pool every physical connection it opens from now on, failed
 * ones included. Idempotent per instance.
 *
 * @example
 * const pool = new Pool({ connectionString });
 * instrumentPg(pool, { alias: 'default' });
 */
export function instrumentPg(poolOrClient: PgPoolLike | PgClientLike, options: DbInstrumentOptions = {}): void {
  if (measured.has(poolOrClient)) return;
  const series = resolveDbSeries('postgresql', options);
  try {
    if (isPool(poolOrClient)) {
      measured.add(poolOrClient);
      measurePool(poolOrClient, series);
    } else {
      // A bare client: its connect() is the connection attempt, unless it has connected already.
      measureClient(poolOrClient, series, true);
    }
  } catch (error) {
    reportInstrumentationFailure('instrumenting a pg pool or client', error);
  }
}

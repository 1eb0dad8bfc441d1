import type { DbInstrumentOptions } from '../db-instrument-options.interface.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { resolveDbSeries } from '../resolve-db-series.js';
import { subscribeMysql2Channels } from './mysql2-channels.js';
import type { Mysql2ConnectionConfigLike, Mysql2Like } from './mysql2-like.interface.js';
import { markMysql2Config } from './mysql2-config-marker.js';
import { addMysql2Route, type Mysql2Endpoint, type Mysql2Route } from './mysql2-routes.js';
import { processShared } from '../../shared/process-shared.js';

const measured = processShared('db-mysql2-measured:v1', () => new WeakSet<object>());

interface Mysql2Internals {
  readonly _closed?: boolean;
  readonly _closing?: boolean;
  readonly _allConnections?: { readonly length: number; toArray?: () => Array<{ readonly config?: object }> };
}

/** The callback-API pool or connection behind a `mysql2/promise` wrapper. */
function unwrap(target: Mysql2Like): Mysql2Like {
  if (target.config === undefined && target.pool !== undefined) return target.pool;
  if (target.config === undefined && target.connection !== undefined) return target.connection;
  return target;
}

function connectionConfig(target: Mysql2Like): Mysql2ConnectionConfigLike {
  const config = target.config as { connectionConfig?: Mysql2ConnectionConfigLike } & Mysql2ConnectionConfigLike;
  if (config === undefined) throw new TypeError('nest-prometheus: instrumentMysql2 expects a mysql2 Pool or Connection (it has no `config`)');
  return config.connectionConfig ?? config;
}

/** The endpoint as mysql2's tracing contexts describe it (same defaults as the driver). */
function endpointOf(config: Mysql2ConnectionConfigLike): Mysql2Endpoint {
  if (config.socketPath) return { serverAddress: config.socketPath, serverPort: undefined, database: config.database ?? '' };
  return { serverAddress: config.host || 'localhost', serverPort: config.port || 3306, database: config.database || '' };
}

/**
 * Counts the statements and connections of one mysql2 `Pool` or `Connection` (callback or
 * `mysql2/promise` API) under `alias` with `vendor="mysql"`, from the `node:diagnostics_channel`
 * tracing channels mysql2 ≥ 3.20 publishes (no driver code is patched; the instance's config gets a
 * `database` accessor so that its events can be told from other instances'). Uninstrumented
 * clients on the same server, port and database count under this alias. Idempotent per instance.
 *
 * @example
 * const pool = mysql.createPool({ uri });
 * instrumentMysql2(pool, { alias: 'default' });
 */
export function instrumentMysql2(poolOrConnection: Mysql2Like, options: DbInstrumentOptions = {}): void {
  const target = unwrap(poolOrConnection);
  if (measured.has(target)) return;
  const config = connectionConfig(target);
  const series = resolveDbSeries('mysql', options);
  measured.add(target);
  try {
    subscribeMysql2Channels();
    const internals = target as Mysql2Internals;
    // Connections a pool opened before it was handed to us (TypeORM opens one at initialisation).
    const open = internals._allConnections?.length;
    if (typeof open === 'number') series.newConnections += open;
    const route: Mysql2Route = { ...endpointOf(config), series, closed: () => internals._closed === true || internals._closing === true };
    addMysql2Route(route);
    markMysql2Config(config, route);
    // Connections the pool opened already carry their own copy of the config.
    for (const connection of internals._allConnections?.toArray?.() ?? []) {
      if (connection.config !== undefined) markMysql2Config(connection.config, route);
    }
  } catch (error) {
    reportInstrumentationFailure('instrumenting a mysql2 pool or connection', error);
  }
}

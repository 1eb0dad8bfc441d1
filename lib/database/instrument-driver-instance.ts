import { measureBetterSqlite3Database } from './better-sqlite3/instrument-better-sqlite3.js';
import type { BetterSqlite3DatabaseLike, BetterSqlite3StatementLike } from './better-sqlite3/better-sqlite3-like.interface.js';
import type { DbInstrumentOptions } from './db-instrument-options.interface.js';
import { instrumentMysql2 } from './mysql2/instrument-mysql2.js';
import type { Mysql2Like } from './mysql2/mysql2-like.interface.js';
import { instrumentPg } from './pg/instrument-pg.js';
import type { PgPoolLike } from './pg/pg-like.interface.js';

/** The drivers the package measures at the driver level. @internal */
export type DriverKind = 'pg' | 'mysql2' | 'better-sqlite3';

/**
 * Instruments a driver instance found inside an ORM, so that ORM integrations reach the driver
 * integrations through the shared core and never import each other. For better-sqlite3, returns
 * the function that measures statements prepared before instrumentation.
 * @internal
 */
export function instrumentDriverInstance(
  kind: DriverKind,
  instance: object,
  options: DbInstrumentOptions,
): ((statement: BetterSqlite3StatementLike) => void) | undefined {
  switch (kind) {
    case 'pg':
      instrumentPg(instance as PgPoolLike, options);
      return undefined;
    case 'mysql2':
      instrumentMysql2(instance as Mysql2Like, options);
      return undefined;
    case 'better-sqlite3':
      return measureBetterSqlite3Database(instance as BetterSqlite3DatabaseLike, options);
  }
}

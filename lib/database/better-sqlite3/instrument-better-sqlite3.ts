import type { DbInstrumentOptions } from '../db-instrument-options.interface.js';
import type { DbSeries } from '../db-series.js';
import { endStatement, measureSync } from '../measured-call.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { resolveDbSeries } from '../resolve-db-series.js';
import type { BetterSqlite3DatabaseLike, BetterSqlite3StatementLike } from './better-sqlite3-like.interface.js';
import { processShared } from '../../shared/process-shared.js';

type AnyFunction = (...args: unknown[]) => unknown;
const RUNNERS = ['run', 'get', 'all', 'iterate'] as const;

const measured = processShared('db-better-sqlite3-measured:v1', () => new WeakSet<object>());
const measurers = new WeakMap<object, StatementMeasurer>();

/**
 * Measures statements of one database: the statement methods are the driver's own, wrapped once
 * per database and set on each statement it prepares (never on the driver's prototype).
 * @internal
 */
export interface StatementMeasurer {
  /** Sets the measured `run`/`get`/`all`/`iterate` on a statement of this database. */
  (statement: BetterSqlite3StatementLike): void;
}

function createStatementMeasurer(series: DbSeries): StatementMeasurer {
  let wrappers: Record<string, AnyFunction> | undefined;
  const build = (statement: BetterSqlite3StatementLike): Record<string, AnyFunction> => {
    const out: Record<string, AnyFunction> = {};
    const proto = Object.getPrototypeOf(statement) as Record<string, AnyFunction>;
    for (const name of RUNNERS) {
      const original = proto[name]!;
      out[name] = function measuredStatement(this: unknown) {
        return measureSync(series, original, this, arguments);
      };
    }
    return out;
  };
  return (statement) => {
    if (measured.has(statement)) return;
    wrappers ??= build(statement);
    for (const name of RUNNERS) (statement as unknown as Record<string, AnyFunction>)[name] = wrappers[name]!;
    measured.add(statement);
  };
}

/**
 * Instruments `database` (once) and returns the function that measures its already prepared
 * statements (TypeORM's statement cache is filled before the app is bootstrapped).
 * @internal
 */
export function measureBetterSqlite3Database(database: BetterSqlite3DatabaseLike, options: DbInstrumentOptions = {}): StatementMeasurer {
  const existing = measurers.get(database);
  if (existing !== undefined) return existing;
  const series = resolveDbSeries('sqlite', options);
  const measure = createStatementMeasurer(series);
  measurers.set(database, measure);
  try {
    if (database.open) series.connectionStarted();
    const prepare = database.prepare as AnyFunction;
    const exec = database.exec as AnyFunction;
    database.prepare = function measuredPrepare(this: unknown) {
      let statement: BetterSqlite3StatementLike;
      try {
        statement = Reflect.apply(prepare, this, arguments) as BetterSqlite3StatementLike;
      } catch (error) {
        // The database refused the SQL: a statement that was attempted and failed.
        endStatement(series, series.statementStarted(), true, error);
        throw error;
      }
      try {
        measure(statement);
      } catch (error) {
        reportInstrumentationFailure('instrumenting a better-sqlite3 statement', error);
      }
      return statement;
    } as BetterSqlite3DatabaseLike['prepare'];
    database.exec = function measuredExec(this: unknown) {
      return measureSync(series, exec, this, arguments);
    } as BetterSqlite3DatabaseLike['exec'];
  } catch (error) {
    reportInstrumentationFailure('instrumenting a better-sqlite3 database', error);
  }
  return measure;
}

/**
 * Counts the statements of one better-sqlite3 `Database` under `alias` with `vendor="sqlite"`:
 * every `run`/`get`/`all`/`iterate` of the statements it prepares from now on, `exec()` (one per
 * call), and `prepare()` calls the database rejects (invalid SQL fails there, before it runs). The
 * open database counts as one new connection. Idempotent per database. `iterate()` is timed until
 * it returns its iterator; `pragma()` and `transaction()`'s own BEGIN/COMMIT are not counted.
 *
 * @example
 * const db = new Database('app.sqlite');
 * instrumentBetterSqlite3(db, { alias: 'default' });
 */
export function instrumentBetterSqlite3(database: BetterSqlite3DatabaseLike, options: DbInstrumentOptions = {}): void {
  measureBetterSqlite3Database(database, options);
}

import { Logger } from '@nestjs/common';
import type { DbInstrumentOptions } from '../db-instrument-options.interface.js';
import { instrumentDriverInstance } from '../instrument-driver-instance.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { DEFAULT_DB_ALIAS, resolveDbSeries } from '../resolve-db-series.js';
import { countBulkInserts } from './count-bulk-inserts.js';
import type { DataSourceLike } from './data-source-like.interface.js';
import { typeOrmTarget, type TypeOrmTarget } from './typeorm-vendor.js';
import { processShared } from '../../shared/process-shared.js';

const instrumented = processShared('db-typeorm-instrumented:v1', () => new WeakSet<object>());

interface DriverInternals {
  readonly master?: object;
  readonly slaves?: ReadonlyArray<object>;
  readonly pool?: object;
  readonly poolCluster?: object;
  readonly databaseConnection?: object;
  readonly queryRunner?: { readonly stmtCache?: Map<string, unknown> };
}

/** The driver instances (pools, database) under an initialised DataSource's driver. */
function instrumentDriver(dataSource: DataSourceLike, target: TypeOrmTarget, options: DbInstrumentOptions): void {
  const driver = dataSource.driver as DriverInternals;
  const warn = (why: string) =>
    new Logger('PrometheusModule').warn(`Database metrics: DataSource "${options.alias}" (${dataSource.options.type}): ${why}`);
  switch (target.kind) {
    case 'pg':
      for (const pool of [driver.master, ...(driver.slaves ?? [])]) if (pool !== undefined) instrumentDriverInstance('pg', pool, options);
      return;
    case 'mysql2':
      if (driver.pool !== undefined) instrumentDriverInstance('mysql2', driver.pool, options);
      else if (driver.poolCluster !== undefined) warn('replication (a mysql2 PoolCluster) is not measured; only bulk inserts are counted');
      return;
    case 'better-sqlite3': {
      if (driver.databaseConnection === undefined) return;
      const measure = instrumentDriverInstance('better-sqlite3', driver.databaseConnection, options);
      // Statements TypeORM prepared and cached before this point (migrations, start-up queries).
      for (const statement of driver.queryRunner?.stmtCache?.values() ?? []) measure?.(statement as never);
      return;
    }
    case undefined:
      warn('no driver-level integration for this driver type: statements, durations and connections are not counted');
  }
}

type Constructor = new (...args: any[]) => object;

/**
 * Before `initialize()`: hands the driver a view of its driver module whose pool (or database)
 * factory measures what it creates, so that the connections opened at initialisation count too.
 * Only this driver instance sees the view; the driver module itself is untouched.
 */
function hookDriverFactory(dataSource: DataSourceLike, target: TypeOrmTarget, options: DbInstrumentOptions): void {
  const driver = dataSource.driver as Record<string, unknown>;
  const override = (key: string, property: string, make: (original: any) => unknown) => {
    const module = driver[key] as Record<string, unknown> | undefined;
    if (module === undefined || module === null || typeof module[property] !== 'function') return;
    driver[key] = Object.create(module, { [property]: { value: make(module[property]), enumerable: true } });
  };
  switch (target.kind) {
    case 'pg':
      override('postgres', 'Pool', (Pool: Constructor) =>
        class MeasuredPool extends Pool {
          constructor(...args: any[]) {
            super(...args);
            instrumentDriverInstance('pg', this, options);
          }
        },
      );
      return;
    case 'mysql2':
      override('mysql', 'createPool', (createPool: (...args: unknown[]) => object) => (...args: unknown[]) => {
        const pool = createPool(...args);
        instrumentDriverInstance('mysql2', pool, options);
        return pool;
      });
      return;
    case 'better-sqlite3': {
      const Database = driver.sqlite as Constructor | undefined;
      if (typeof Database !== 'function') return;
      driver.sqlite = class MeasuredDatabase extends Database {
        constructor(...args: any[]) {
          super(...args);
          instrumentDriverInstance('better-sqlite3', this, options);
        }
      };
      return;
    }
  }
}

/**
 * Counts the statements, durations, errors and connections of one TypeORM `DataSource` under
 * `alias` (default: the DataSource's name, else `default`), with the vendor of its driver type
 * (postgres → `postgresql`, mysql/mariadb → `mysql`, better-sqlite3 → `sqlite`). The driver's own
 * pool or database is measured, so every query (repositories, query builders, `query()`,
 * migrations) counts once; multi-row inserts count their rows. A DataSource that is not yet
 * initialised is measured when `initialize()` resolves. Idempotent per DataSource. The
 * `@nestjs/typeorm` DataSources of an app are found and measured automatically when the module's
 * `database` option is on.
 *
 * @example
 * const ds = new DataSource({ type: 'postgres', url });
 * await ds.initialize();
 * instrumentDataSource(ds, 'reports');
 */
export function instrumentDataSource(dataSource: DataSourceLike, alias?: string, options: Omit<DbInstrumentOptions, 'alias'> = {}): void {
  if (instrumented.has(dataSource)) return;
  const target = typeOrmTarget(dataSource.options.type);
  const resolved: DbInstrumentOptions = { ...options, alias: alias ?? dataSource.options.name ?? DEFAULT_DB_ALIAS };
  const series = resolveDbSeries(target.vendor, resolved);
  instrumented.add(dataSource);
  try {
    countBulkInserts(dataSource, series);
    if (dataSource.isInitialized) {
      instrumentDriver(dataSource, target, resolved);
      return;
    }
    hookDriverFactory(dataSource, target, resolved);
    const initialize = dataSource.initialize;
    dataSource.initialize = async function measuredInitialize(this: DataSourceLike) {
      const result = await Reflect.apply(initialize, this, []);
      try {
        instrumentDriver(dataSource, target, resolved);
      } catch (error) {
        reportInstrumentationFailure('instrumenting a TypeORM DataSource', error);
      }
      return result;
    };
  } catch (error) {
    reportInstrumentationFailure('instrumenting a TypeORM DataSource', error);
  }
}

import type { DbSeries } from '../db-series.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { processShared } from '../../shared/process-shared.js';

type AnyFunction = (...args: unknown[]) => unknown;

interface InsertQueryBuilderLike {
  execute: AnyFunction;
  getValueSets?: () => unknown[];
}

const watched = processShared('db-typeorm-bulk-watched:v1', () => new WeakSet<object>());

function rowsOf(builder: InsertQueryBuilderLike): number {
  try {
    const sets = builder.getValueSets?.();
    return Array.isArray(sets) ? sets.length : 0;
  } catch {
    return 0; // no values given (INSERT … SELECT): not a bulk insert
  }
}

function watchExecute(builder: InsertQueryBuilderLike, series: DbSeries): void {
  if (watched.has(builder) || typeof builder.execute !== 'function') return;
  watched.add(builder);
  const execute = builder.execute;
  builder.execute = function countedExecute(this: unknown) {
    try {
      const rows = rowsOf(builder);
      if (rows > 1) {
        // One multi-row INSERT reaches the driver, which counts it once: the other rows are added here.
        series.executes += rows - 1;
        series.bulkRows(rows);
      }
    } catch (error) {
      reportInstrumentationFailure('counting a TypeORM bulk insert', error);
    }
    return Reflect.apply(execute, this, arguments);
  };
}

/**
 * Makes the query builders of one DataSource report their multi-row inserts (`repository.insert([…])`,
 * `save([…])`, `createQueryBuilder().insert().values([…])`): a bulk insert of n rows counts n in
 * `execute_total` and in `execute_many_total`, as django's `executemany` does. Only this
 * DataSource's builders are touched.
 * @internal
 */
export function countBulkInserts(dataSource: { createQueryBuilder: AnyFunction }, series: DbSeries): void {
  const create = dataSource.createQueryBuilder;
  dataSource.createQueryBuilder = function createCountedQueryBuilder(this: unknown) {
    const builder = Reflect.apply(create, this, arguments) as { insert?: AnyFunction } | undefined;
    try {
      const insert = builder?.insert;
      if (builder !== undefined && typeof insert === 'function') {
        builder.insert = function countedInsert(this: unknown) {
          const insertBuilder = Reflect.apply(insert, this, arguments) as InsertQueryBuilderLike;
          try {
            watchExecute(insertBuilder, series);
          } catch (error) {
            reportInstrumentationFailure('counting a TypeORM bulk insert', error);
          }
          return insertBuilder;
        };
      }
    } catch (error) {
      reportInstrumentationFailure('counting TypeORM bulk inserts', error);
    }
    return builder;
  };
}

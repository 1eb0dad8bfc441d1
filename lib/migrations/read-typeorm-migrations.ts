import type { TypeOrmDataSourceLike } from '../discovery/is-typeorm-data-source.js';

/** What the gauges show for one connection. @internal */
export interface MigrationCounts {
  /** Rows in the migrations table: migrations recorded as run. */
  readonly applied: number;
  /** Migrations the DataSource defines that the table does not record. */
  readonly unapplied: number;
}

/**
 * Compares the migrations `dataSource` defines with the rows of its migrations table, the way
 * TypeORM's own `MigrationExecutor` names them (`migration.name`, else the class name). Read-only:
 * a missing table means nothing was applied (it is never created here).
 * @internal
 */
export async function readTypeOrmMigrations(dataSource: TypeOrmDataSourceLike): Promise<MigrationCounts> {
  if (!dataSource.isInitialized) throw new Error('the DataSource is not initialized');
  const tableName = dataSource.options.migrationsTableName ?? 'migrations';
  const table = dataSource.driver.buildTableName(tableName, dataSource.driver.options.schema, dataSource.driver.database);
  const queryRunner = dataSource.createQueryRunner();
  let rows: Array<Record<string, unknown>>;
  try {
    rows = (await queryRunner.hasTable(table)) ? await dataSource.manager.createQueryBuilder(queryRunner).select().from(table, tableName).getRawMany() : [];
  } finally {
    await queryRunner.release();
  }
  const executed = new Set(rows.map((row) => String(row.name)));
  const defined = dataSource.migrations.map((migration) => migration.name ?? migration.constructor.name);
  return { applied: rows.length, unapplied: defined.filter((name) => !executed.has(name)).length };
}

/**
 * The few members of a TypeORM `DataSource` (0.3 and 1.x) that the migration and model integrations
 * use, declared here so that nothing imports TypeORM (an optional peer).
 * @internal
 */
export interface TypeOrmDataSourceLike {
  readonly options: { readonly type?: string; readonly name?: string; readonly migrationsTableName?: string };
  readonly isInitialized: boolean;
  readonly migrations: ReadonlyArray<{ readonly name?: string; readonly constructor: { readonly name: string } }>;
  readonly subscribers: unknown[];
  readonly entityMetadatas: ReadonlyArray<{ readonly target: unknown }>;
  readonly driver: {
    readonly options: { readonly schema?: string };
    readonly database?: string;
    buildTableName(tableName: string, schema?: string, database?: string): string;
  };
  readonly manager: {
    createQueryBuilder(queryRunner?: unknown): {
      select(): { from(table: string, alias: string): { getRawMany(): Promise<Array<Record<string, unknown>>> } };
    };
  };
  createQueryRunner(): { hasTable(table: string): Promise<boolean>; release(): Promise<void> };
  runMigrations(...args: unknown[]): Promise<unknown>;
  undoLastMigration(...args: unknown[]): Promise<unknown>;
}

/** Duck-typed check for a TypeORM `DataSource` among the app's providers. @internal */
export function isTypeOrmDataSource(value: unknown): value is TypeOrmDataSourceLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.options === 'object' &&
    candidate.options !== null &&
    Array.isArray(candidate.migrations) &&
    Array.isArray(candidate.subscribers) &&
    Array.isArray(candidate.entityMetadatas) &&
    typeof candidate.createQueryRunner === 'function' &&
    typeof candidate.runMigrations === 'function' &&
    typeof candidate.undoLastMigration === 'function'
  );
}

/**
 * The name a DataSource goes by: `@nestjs/typeorm` registers the default one under the `DataSource`
 * class and a named one `x` under the string token `xDataSource`; otherwise `options.name`, else
 * `default`.
 * @internal
 */
export function dataSourceName(token: unknown, dataSource: TypeOrmDataSourceLike): string {
  if (typeof token === 'string' && token.endsWith('DataSource') && token.length > 'DataSource'.length) {
    return token.slice(0, -'DataSource'.length);
  }
  const named = dataSource.options.name;
  return typeof named === 'string' && named !== '' ? named : 'default';
}

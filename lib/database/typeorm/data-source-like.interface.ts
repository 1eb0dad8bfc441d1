/**
 * The part of a TypeORM `DataSource` the instrumentation uses (structural, so that the package's
 * types never name TypeORM).
 */
export interface DataSourceLike {
  readonly options: { readonly type: string; readonly name?: string };
  readonly driver: object;
  readonly isInitialized: boolean;
  initialize(): Promise<unknown>;
  createQueryBuilder(...args: any[]): unknown;
}

/** Whether `value` looks like a TypeORM `DataSource` (duck-typed, TypeORM is never loaded). @internal */
export function isDataSourceLike(value: unknown): value is DataSourceLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<DataSourceLike> & { manager?: unknown };
  return (
    typeof candidate.options === 'object' &&
    candidate.options !== null &&
    typeof candidate.options.type === 'string' &&
    typeof candidate.driver === 'object' &&
    candidate.driver !== null &&
    typeof candidate.isInitialized === 'boolean' &&
    typeof candidate.manager === 'object' &&
    typeof candidate.createQueryBuilder === 'function'
  );
}

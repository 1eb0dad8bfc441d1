/**
 * The part of a `pg` `Client` the instrumentation uses (structural, so that the package's types
 * never name `pg`).
 */
export interface PgClientLike {
  query(...args: any[]): unknown;
  connect(...args: any[]): unknown;
}

/** The part of a `pg` `Pool` (pg-pool) the instrumentation uses. */
export interface PgPoolLike {
  query(...args: any[]): unknown;
  connect(...args: any[]): unknown;
  on(event: string, listener: (...args: any[]) => void): unknown;
  /** The client class the pool creates its connections with. */
  Client: new (...args: any[]) => PgClientLike;
  readonly totalCount: number;
}

/** A better-sqlite3 `Statement` (structural, so that the package's types never name better-sqlite3). */
export interface BetterSqlite3StatementLike {
  run(...params: any[]): unknown;
  get(...params: any[]): unknown;
  all(...params: any[]): unknown;
  iterate(...params: any[]): unknown;
}

/** The part of a better-sqlite3 `Database` the instrumentation uses. */
export interface BetterSqlite3DatabaseLike {
  prepare(source: string, ...rest: any[]): BetterSqlite3StatementLike;
  exec(source: string): unknown;
  readonly open: boolean;
}

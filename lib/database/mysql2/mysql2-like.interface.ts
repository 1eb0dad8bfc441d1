/** Connection settings as mysql2 keeps them on a connection (`connection.config`). */
export interface Mysql2ConnectionConfigLike {
  readonly host?: string;
  readonly port?: number;
  readonly socketPath?: string;
  readonly database?: string;
}

/**
 * A mysql2 `Pool`, `Connection`, or their `mysql2/promise` wrappers (structural, so that the
 * package's types never name `mysql2`).
 */
export interface Mysql2Like {
  readonly config?: Mysql2ConnectionConfigLike | { readonly connectionConfig?: Mysql2ConnectionConfigLike };
  /** `mysql2/promise` pool wrapper. */
  readonly pool?: Mysql2Like;
  /** `mysql2/promise` connection wrapper. */
  readonly connection?: Mysql2Like;
}

import type { DbVendor } from './db-vendor.js';

/**
 * The `type` label of `nestjs_db_errors_total`: the DB-API (PEP 249) exception class a Python
 * driver would raise for the same failure, so that dashboards ported from django-prometheus keep
 * their label values, and the set of values stays small whatever the driver.
 */
export type DbErrorType =
  | 'IntegrityError'
  | 'ProgrammingError'
  | 'OperationalError'
  | 'DataError'
  | 'NotSupportedError'
  | 'InternalError'
  | 'InterfaceError'
  | 'DatabaseError';

/** SQLSTATE class (first two characters) → DB-API class, as psycopg maps PostgreSQL's. @internal */
export const SQLSTATE_CLASSES: Readonly<Record<string, DbErrorType>> = Object.freeze({
  '08': 'OperationalError', // connection exception
  '0A': 'NotSupportedError', // feature not supported
  '20': 'ProgrammingError', // case not found
  '21': 'ProgrammingError', // cardinality violation
  '22': 'DataError', // data exception (overflow, bad cast, string too long…)
  '23': 'IntegrityError', // integrity constraint violation (unique, foreign key, not null, check)
  '24': 'InternalError', // invalid cursor state
  '25': 'InternalError', // invalid transaction state
  '26': 'OperationalError', // invalid SQL statement name
  '27': 'OperationalError', // triggered data change violation
  '28': 'OperationalError', // invalid authorization
  '2B': 'InternalError',
  '2D': 'InternalError',
  '2F': 'InternalError',
  '34': 'OperationalError', // invalid cursor name
  '38': 'InternalError',
  '39': 'InternalError',
  '3B': 'InternalError',
  '3D': 'ProgrammingError', // invalid catalog (database) name
  '3F': 'ProgrammingError', // invalid schema name
  '40': 'OperationalError', // transaction rollback (serialization failure, deadlock)
  '42': 'ProgrammingError', // syntax error or access rule violation (bad SQL, unknown table/column)
  '44': 'ProgrammingError', // WITH CHECK OPTION violation
  '53': 'OperationalError', // insufficient resources
  '54': 'OperationalError', // program limit exceeded
  '55': 'OperationalError', // object not in prerequisite state (lock not available)
  '57': 'OperationalError', // operator intervention (query canceled, admin shutdown)
  '58': 'OperationalError', // system error
  F0: 'InternalError',
  HV: 'OperationalError',
  P0: 'InternalError', // PL/pgSQL raise
  XX: 'InternalError', // internal error
});

/** SQLite primary result codes → DB-API class, as Python's `sqlite3` module maps them. @internal */
export const SQLITE_CODES: Readonly<Record<string, DbErrorType>> = Object.freeze({
  SQLITE_ERROR: 'OperationalError', // SQL error or missing table: Python raises OperationalError
  SQLITE_INTERNAL: 'InternalError',
  SQLITE_NOTFOUND: 'InternalError',
  SQLITE_PERM: 'OperationalError',
  SQLITE_ABORT: 'OperationalError',
  SQLITE_BUSY: 'OperationalError',
  SQLITE_LOCKED: 'OperationalError',
  SQLITE_READONLY: 'OperationalError',
  SQLITE_INTERRUPT: 'OperationalError',
  SQLITE_IOERR: 'OperationalError',
  SQLITE_FULL: 'OperationalError',
  SQLITE_CANTOPEN: 'OperationalError',
  SQLITE_PROTOCOL: 'OperationalError',
  SQLITE_EMPTY: 'OperationalError',
  SQLITE_SCHEMA: 'OperationalError',
  SQLITE_NOMEM: 'OperationalError',
  SQLITE_CORRUPT: 'DatabaseError',
  SQLITE_NOTADB: 'DatabaseError',
  SQLITE_TOOBIG: 'DataError',
  SQLITE_CONSTRAINT: 'IntegrityError',
  SQLITE_MISMATCH: 'IntegrityError',
  SQLITE_MISUSE: 'InterfaceError',
  SQLITE_RANGE: 'InterfaceError',
});

/** Errors raised by the client library itself, before or instead of the server answering. */
const CLIENT_CODES: Readonly<Record<string, DbErrorType>> = Object.freeze({
  ECONNREFUSED: 'OperationalError',
  ECONNRESET: 'OperationalError',
  ETIMEDOUT: 'OperationalError',
  EPIPE: 'OperationalError',
  ENOTFOUND: 'OperationalError',
  EHOSTUNREACH: 'OperationalError',
  EAI_AGAIN: 'OperationalError',
  PROTOCOL_CONNECTION_LOST: 'OperationalError',
  PROTOCOL_SEQUENCE_TIMEOUT: 'OperationalError',
  PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR: 'InterfaceError',
  PROTOCOL_ENQUEUE_AFTER_QUIT: 'InterfaceError',
});

/** Prisma's request error codes → DB-API class. @internal */
export const PRISMA_CODES: Readonly<Record<string, DbErrorType>> = Object.freeze({
  P2000: 'DataError', // value too long for the column
  P2002: 'IntegrityError', // unique constraint
  P2003: 'IntegrityError', // foreign key constraint
  P2004: 'IntegrityError', // constraint failed
  P2005: 'DataError', // invalid stored value
  P2006: 'DataError', // invalid value
  P2007: 'DataError', // data validation error
  P2011: 'IntegrityError', // null constraint
  P2014: 'IntegrityError', // required relation violated
  P2020: 'DataError', // value out of range
  P2021: 'ProgrammingError', // table does not exist
  P2022: 'ProgrammingError', // column does not exist
  P2024: 'OperationalError', // timed out fetching a connection
  P2034: 'OperationalError', // write conflict or deadlock: retry
});

interface PrismaMeta {
  readonly code?: unknown;
  readonly driverAdapterError?: { readonly cause?: { readonly originalCode?: unknown; readonly code?: unknown } };
}

/** Prisma errors: the SQLSTATE of a raw query's driver error when there is one, else the Prisma code. */
function prismaClass(code: string, meta: PrismaMeta | undefined): DbErrorType {
  const cause = meta?.driverAdapterError?.cause;
  const byState = sqlstateClass(cause?.originalCode) ?? sqlstateClass(cause?.code) ?? sqlstateClass(meta?.code);
  if (byState !== undefined) return byState;
  if (PRISMA_CODES[code] !== undefined) return PRISMA_CODES[code];
  if (code.startsWith('P1')) return 'OperationalError'; // P1xxx: cannot reach or authenticate to the database
  return 'DatabaseError';
}

interface ErrorFields {
  readonly meta?: PrismaMeta;
  readonly code?: unknown;
  readonly sqlState?: unknown;
  readonly errno?: unknown;
  readonly name?: unknown;
}

function sqlstateClass(sqlstate: unknown): DbErrorType | undefined {
  if (typeof sqlstate !== 'string' || sqlstate.length !== 5) return undefined;
  return SQLSTATE_CLASSES[sqlstate.slice(0, 2).toUpperCase()];
}

function sqliteClass(code: string): DbErrorType {
  // Extended codes (SQLITE_CONSTRAINT_UNIQUE, SQLITE_IOERR_READ…) share their primary code's class.
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
  return SQLITE_CODES[primary] ?? 'DatabaseError';
}

/**
 * Maps a driver error to its DB-API class name. PostgreSQL errors by SQLSTATE class, MySQL/MariaDB
 * errors by their `sqlState` (HY000, the generic state, is an OperationalError), SQLite errors by
 * result code; network errors are OperationalErrors, misuse of the client (`TypeError`,
 * `RangeError`: wrong parameters) ProgrammingErrors, anything else a DatabaseError.
 * @internal
 */
export function classifyDbError(vendor: DbVendor, error: unknown): DbErrorType {
  if (typeof error !== 'object' || error === null) return 'DatabaseError';
  const fields = error as ErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  if (code !== undefined && code.startsWith('SQLITE_')) return sqliteClass(code);
  if (code !== undefined && /^P\d{4}$/.test(code)) return prismaClass(code, fields.meta);
  if ((error as { name?: unknown }).name === 'PrismaClientValidationError') return 'ProgrammingError';
  if (vendor === 'postgresql') {
    const byState = sqlstateClass(code);
    if (byState !== undefined) return byState;
  }
  if (vendor === 'mysql' && fields.sqlState !== undefined) {
    const byState = sqlstateClass(fields.sqlState);
    if (byState !== undefined) return byState;
    if (typeof fields.errno === 'number') return 'OperationalError';
  }
  if (code !== undefined && CLIENT_CODES[code] !== undefined) return CLIENT_CODES[code];
  if (error instanceof TypeError || error instanceof RangeError) return 'ProgrammingError';
  return 'DatabaseError';
}

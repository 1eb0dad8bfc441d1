import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

/** A database the suites run against, with what differs per vendor. */
export interface DbTarget {
  readonly title: string;
  readonly vendor: 'postgresql' | 'mysql' | 'sqlite';
  /** The server to check with `checkService`, if any. */
  readonly service?: readonly [name: string, port: number];
  /** The DB-API class of a syntax error on this vendor (Python's sqlite3 calls it an OperationalError). */
  readonly syntaxErrorType: string;
  /** TypeORM options for a DataSource named `name` on this database. */
  dataSource(name?: string): DataSourceOptions;
  /** SQL creating a two-column table (`id` generated, `name` text). */
  createTable(table: string): string;
}

/** A random suffix for table and database names: other suites use the same servers at the same time. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString('hex');
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-db-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
let files = 0;

export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

export const DB_TARGETS: ReadonlyArray<DbTarget> = [
  {
    title: 'SQLite (better-sqlite3)',
    vendor: 'sqlite',
    syntaxErrorType: 'OperationalError',
    dataSource: (name) => ({ type: 'better-sqlite3', name, database: join(scratch, `db-${++files}.sqlite`) }),
    createTable: (table) => `CREATE TABLE ${table} (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)`,
  },
  {
    title: 'PostgreSQL (pg)',
    vendor: 'postgresql',
    service: ['PostgreSQL', 5432],
    syntaxErrorType: 'ProgrammingError',
    dataSource: (name) => ({ type: 'postgres', name, url: POSTGRES_URL }),
    createTable: (table) => `CREATE TABLE ${table} (id SERIAL PRIMARY KEY, name TEXT NOT NULL)`,
  },
  {
    title: 'MariaDB (mysql2)',
    vendor: 'mysql',
    service: ['MariaDB', 3306],
    syntaxErrorType: 'ProgrammingError',
    dataSource: (name) => ({ type: 'mysql', name, url: MYSQL_URL }),
    createTable: (table) => `CREATE TABLE ${table} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(64) NOT NULL)`,
  },
];

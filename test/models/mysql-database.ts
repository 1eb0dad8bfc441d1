import { DataSource } from 'typeorm';

async function admin(sql: string): Promise<void> {
  const ds = await new DataSource({ type: 'mysql', host: '127.0.0.1', port: 3306, username: 'root', database: 'test' }).initialize();
  try {
    await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}

/** Creates a MariaDB/MySQL database of its own for one test file; `drop()` removes it. */
export async function createMysqlTestDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(`CREATE DATABASE ${name}`);
  return { url: `mysql://root@127.0.0.1:3306/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name}`) };
}

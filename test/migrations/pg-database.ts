import { DataSource } from 'typeorm';

const USER = process.env.PGUSER ?? 'postgres';

async function admin(sql: string): Promise<void> {
  const ds = await new DataSource({ type: 'postgres', host: '127.0.0.1', port: 5432, username: USER, database: 'test' }).initialize();
  try {
    await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}

/** Creates a PostgreSQL database of its own for one test file; `drop()` removes it (connections first). */
export async function createTestDatabase(prefix: string): Promise<{ name: string; url(port?: number): string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    name,
    url: (port = 5432) => `postgres://${USER}@127.0.0.1:${port}/${name}`,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

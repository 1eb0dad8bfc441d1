import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrismaClientLike } from './prisma-client-like.js';
import type { MigrationCounts } from './read-typeorm-migrations.js';

interface PrismaMigrationRow {
  readonly migration_name: string;
  readonly finished_at: unknown;
  readonly rolled_back_at: unknown;
}

/**
 * Compares the migrations folder (each sub-folder holding a `migration.sql`) with the
 * `_prisma_migrations` table: applied = rows that finished and were not rolled back; unapplied =
 * folders without such a row. A missing table means nothing was applied; a missing folder is an
 * error (reported once by the caller).
 * @internal
 */
export async function readPrismaMigrations(client: PrismaClientLike, migrationsDir: string): Promise<MigrationCounts> {
  if (!existsSync(migrationsDir)) throw new Error(`the Prisma migrations folder ${migrationsDir} does not exist`);
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const defined = entries.filter((e) => e.isDirectory() && existsSync(join(migrationsDir, e.name, 'migration.sql'))).map((e) => e.name);
  let rows: PrismaMigrationRow[];
  try {
    rows = (await client.$queryRawUnsafe('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations')) as PrismaMigrationRow[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/_prisma_migrations/.test(message) || !/does not exist|doesn't exist|no such table/i.test(message)) throw error;
    rows = [];
  }
  const applied = new Set(rows.filter((r) => r.finished_at !== null && r.rolled_back_at === null).map((r) => r.migration_name));
  return { applied: applied.size, unapplied: defined.filter((name) => !applied.has(name)).length };
}

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { MigrationMetricsService, monitorPrismaMigrations, PrometheusModule } from 'nest-prometheus';
import { getMetric, getMetricsVector } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { PrismaClient } from '../support/prisma/generated/client.js';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { checkService } from '../support/services.js';
import { createTestDatabase } from './pg-database.js';

const APPLIED = 'nestjs_migrations_applied_total';
const UNAPPLIED = 'nestjs_migrations_unapplied_total';
const NAMES = ['20261201000001_one', '20261201000002_two', '20261201000003_three'];

/** `_prisma_migrations` as `prisma migrate` creates it (the command itself cannot run offline). */
const CREATE_TABLE = `CREATE TABLE _prisma_migrations (
  id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL,
  logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`;

function recordSql(name: string, state: 'finished' | 'rolled back'): string {
  const id = `${name.slice(-8)}-${Math.random().toString(36).slice(2, 10)}`;
  return state === 'finished'
    ? `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('${id}', 'x', now(), '${name}', 1)`
    : `INSERT INTO _prisma_migrations (id, checksum, migration_name, rolled_back_at) VALUES ('${id}', 'x', '${name}', now())`;
}

describe('Prisma migration gauges (PostgreSQL, _prisma_migrations against the migrations folder)', async () => {
  const skip = (await checkService('PostgreSQL', 5432)).skip;
  const folder = mkdtempSync(join(tmpdir(), 'nest-prom-prisma-migr-'));
  const registry = new Registry();
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let admin: DataSource | undefined;
  let prisma: PrismaClient | undefined;
  let started: StartedApp | undefined;
  before(async () => {
    if (skip) return;
    for (const name of NAMES) {
      mkdirSync(join(folder, name));
      writeFileSync(join(folder, name, 'migration.sql'), '-- test migration\n');
    }
    mkdirSync(join(folder, 'not-a-migration')); // no migration.sql: ignored, as Prisma does
    db = await createTestDatabase('nestprom_prisma_migr');
    admin = await new DataSource({ type: 'postgres', url: db.url() }).initialize();
    await admin.query(CREATE_TABLE);
    await admin.query(recordSql(NAMES[0]!, 'finished'));
    await admin.query(recordSql(NAMES[1]!, 'finished'));
    await admin.query(recordSql(NAMES[2]!, 'rolled back'));
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url() }) });
    const client = prisma;
    @Module({
      imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, exportMigrations: true })],
      providers: [{ provide: 'PRISMA', useFactory: () => monitorPrismaMigrations(client, { migrationsDir: folder, connection: 'main' }) }],
    })
    class PrismaAppModule {}
    started = await startApp(PrismaAppModule, ADAPTERS[1]!);
  });
  after(async () => {
    await started?.close();
    await prisma?.$disconnect();
    await admin?.destroy();
    await db?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('3 folders, 2 finished (and 1 rolled back): applied 2, unapplied 1', { skip }, async () => {
    await started!.app.get(MigrationMetricsService).settled();
    assert.equal(await getMetric(APPLIED, { connection: 'main' }, registry), 2);
    assert.equal(await getMetric(UNAPPLIED, { connection: 'main' }, registry), 1);
  });

  it('after the third is applied (by another process), refresh() shows 3 / 0', { skip }, async () => {
    await admin!.query(recordSql(NAMES[2]!, 'finished'));
    await started!.app.get(MigrationMetricsService).refresh();
    assert.deepEqual(await getMetricsVector(APPLIED, registry), [{ labels: { connection: 'main' }, value: 3 }]);
    assert.deepEqual(await getMetricsVector(UNAPPLIED, registry), [{ labels: { connection: 'main' }, value: 0 }]);
  });
});

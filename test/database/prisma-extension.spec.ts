import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PrismaPg } from '@prisma/adapter-pg';
import { prismaMetricsExtension } from 'nest-prometheus';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import pg from 'pg';
import { Registry } from 'prom-client';
import { checkService } from '../support/services.js';
import { PrismaClient } from '../support/prisma/generated/client.js';
import { POSTGRES_URL, uniqueSuffix } from './support/db-targets.js';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('Prisma 7 (driver adapter on pg): prismaMetricsExtension', async () => {
  const { skip } = await checkService('PostgreSQL', 5432);
  const registry = new Registry();
  const labels = { alias: 'prisma', vendor: 'postgresql' };
  const schema = `np_prisma_${uniqueSuffix()}`;
  const base = new PrismaClient({ adapter: new PrismaPg({ connectionString: POSTGRES_URL }, { schema }) });
  const prisma = base.$extends(prismaMetricsExtension({ vendor: 'postgresql', alias: 'prisma', registry }));

  before(async () => {
    if (skip) return;
    await admin(`CREATE SCHEMA ${schema}`);
    await admin(`CREATE TABLE ${schema}.np_prisma_rows (id SERIAL PRIMARY KEY, name TEXT NOT NULL)`);
  });
  after(async () => {
    await base.$disconnect();
    if (!skip) await admin(`DROP SCHEMA ${schema} CASCADE`);
  });

  it('20 × SELECT 1 → execute_total +20 and 20 durations', { skip }, async () => {
    const before = await saveRegistry(registry);
    for (let i = 0; i < 20; i++) assert.deepEqual(await prisma.$queryRaw`SELECT 1 AS one`, [{ one: 1 }]);
    await assertMetricDiff(before, 20, 'nestjs_db_execute_total', labels);
    await assertMetricDiff(before, 20, 'nestjs_db_query_duration_seconds_count', labels);
  });

  it('invalid SQL → errors_total{type="ProgrammingError"} +1; the caller gets the same error as without the extension', { skip }, async () => {
    const before = await saveRegistry(registry);
    const plainError = await base.$queryRawUnsafe('SELEC 1').then(() => assert.fail('succeeded'), (e: unknown) => e);
    const measuredError = await prisma.$queryRawUnsafe('SELEC 1').then(() => assert.fail('succeeded'), (e: unknown) => e);
    assert.equal(Object.getPrototypeOf(measuredError), Object.getPrototypeOf(plainError));
    assert.equal((measuredError as { code?: string }).code, (plainError as { code?: string }).code);
    await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: 'ProgrammingError' });
  });

  it('createMany of 4 rows → execute_many_total +4 and execute_total +4; a unique-violation-free findMany returns them', { skip }, async () => {
    const before = await saveRegistry(registry);
    const { count } = await prisma.npPrismaRow.createMany({ data: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }] });
    assert.equal(count, 4);
    await assertMetricDiff(before, 4, 'nestjs_db_execute_many_total', labels);
    await assertMetricDiff(before, 4, 'nestjs_db_execute_total', labels);
    assert.equal((await prisma.npPrismaRow.findMany()).length, 4);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PrismaPg } from '@prisma/adapter-pg';
import { prismaModelMetrics } from 'nest-prometheus';
import { assertMetricDiff, assertMetricEqual, assertMetricNoDiff, getMetricsVector, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '../migrations/pg-database.js';
import { checkService } from '../support/services.js';
import { PrismaClient } from '../support/prisma/generated/client.js';

const INSERTS = 'nestjs_model_inserts_total';
const UPDATES = 'nestjs_model_updates_total';
const DELETES = 'nestjs_model_deletes_total';
const dog = { model: 'dog' };

/** The tables of prisma/schema.prisma, created by SQL (`prisma migrate` cannot run offline). */
async function createTables(url: string): Promise<void> {
  const ds = await new DataSource({ type: 'postgres', url }).initialize();
  try {
    await ds.query('CREATE TABLE prisma_dog (id serial PRIMARY KEY, name text NOT NULL, age integer)');
    await ds.query('CREATE TABLE prisma_bone (id serial PRIMARY KEY)');
  } finally {
    await ds.destroy();
  }
}

function extendedClient(url: string, registry: Registry) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) }).$extends(prismaModelMetrics({ models: { Dog: 'dog' }, registry }));
}

describe('Prisma model counters (client extension, PostgreSQL)', async () => {
  const skip = (await checkService('PostgreSQL', 5432)).skip;
  const registry = new Registry();
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let prisma: ReturnType<typeof extendedClient>;
  before(async () => {
    if (skip) return;
    db = await createTestDatabase('nestprom_prisma_models');
    await createTables(db.url());
    prisma = extendedClient(db.url(), registry);
  });
  after(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('creates the chosen models\' series at 0, and none for the others', { skip }, async () => {
    for (const name of [INSERTS, UPDATES, DELETES]) assert.deepEqual(await getMetricsVector(name, registry), [{ labels: dog, value: 0 }]);
  });

  it("follows django-prometheus's sequence: inserts, a change without save, updates, delete, bulk insert", { skip }, async () => {
    let frozen = await saveRegistry(registry);
    const rex = await prisma.dog.create({ data: { name: 'Rex', age: 3 } });
    await prisma.dog.create({ data: { name: 'Fido' } });
    await assertMetricDiff(frozen, 2, INSERTS, dog, registry);

    frozen = await saveRegistry(registry);
    rex.age = 4; // a plain object: nothing is written
    await assertMetricNoDiff(frozen, UPDATES, dog, registry);
    await assertMetricEqual(0, UPDATES, dog, registry);

    frozen = await saveRegistry(registry);
    await prisma.dog.update({ where: { id: rex.id }, data: { age: 4 } });
    await prisma.dog.update({ where: { id: rex.id }, data: { age: 5 } });
    await assertMetricDiff(frozen, 2, UPDATES, dog, registry);

    frozen = await saveRegistry(registry);
    await prisma.dog.delete({ where: { id: rex.id } });
    await assertMetricDiff(frozen, 1, DELETES, dog, registry);

    frozen = await saveRegistry(registry);
    const created = await prisma.dog.createMany({ data: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] });
    assert.equal(created.count, 3);
    await assertMetricDiff(frozen, 3, INSERTS, dog, registry);
  });

  it('updateMany / deleteMany count the rows Prisma reports; reads and other models count nothing', { skip }, async () => {
    await prisma.dog.createMany({ data: [{ name: 'bulk' }, { name: 'bulk' }, { name: 'bulk' }] });
    let frozen = await saveRegistry(registry);
    assert.equal((await prisma.dog.updateMany({ where: { name: 'bulk' }, data: { age: 1 } })).count, 3);
    await assertMetricDiff(frozen, 3, UPDATES, dog, registry);
    frozen = await saveRegistry(registry);
    await prisma.dog.findMany();
    await prisma.bone.create({ data: {} });
    assert.equal((await prisma.dog.deleteMany({ where: { name: 'bulk' } })).count, 3);
    await assertMetricDiff(frozen, 3, DELETES, dog, registry);
    await assertMetricNoDiff(frozen, INSERTS, dog, registry);
    assert.deepEqual((await getMetricsVector(INSERTS, registry)).map((s) => s.labels.model), ['dog']);
  });

  it('a failed operation reaches the caller with its own error and counts nothing', { skip }, async () => {
    const frozen = await saveRegistry(registry);
    const failure = await prisma.dog.update({ where: { id: -1 }, data: { age: 1 } }).then(
      () => assert.fail('updating a missing row must fail'),
      (error: unknown) => error as { code?: string },
    );
    assert.equal(failure.code, 'P2025');
    await assertMetricNoDiff(frozen, UPDATES, dog, registry);
  });
});

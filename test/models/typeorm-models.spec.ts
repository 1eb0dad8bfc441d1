import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrometheusModule } from 'nest-prometheus';
import { assertMetricDiff, assertMetricEqual, assertMetricNoDiff, getMetricsVector, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { DataSource, type DataSourceOptions, type Repository } from 'typeorm';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { checkService } from '../support/services.js';
import { createTestDatabase } from '../migrations/pg-database.js';
import { createMysqlTestDatabase } from './mysql-database.js';
import { Bone, Dog, ENTITIES } from './model-fixtures.js';

const INSERTS = 'nestjs_model_inserts_total';
const UPDATES = 'nestjs_model_updates_total';
const DELETES = 'nestjs_model_deletes_total';
const dog = { model: 'dog' };
const scratch = mkdtempSync(join(tmpdir(), 'nest-prom-models-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Backend {
  readonly title: string;
  readonly service?: readonly [string, number];
  /** Rows a 3-row `Repository.update()` / `delete()` counts: what the driver reports to TypeORM's subscribers. */
  readonly bulkStatementRows: number;
  prepare(): Promise<{ options: DataSourceOptions; cleanup(): Promise<void> }>;
}

const BACKENDS: ReadonlyArray<Backend> = [
  {
    title: 'SQLite (better-sqlite3 file)',
    // TypeORM's better-sqlite3 driver hands subscribers the last insert rowid, not the changed rows.
    bulkStatementRows: 1,
    async prepare() {
      return { options: { type: 'better-sqlite3', database: join(scratch, `models-${Math.random().toString(36).slice(2)}.sqlite`) }, cleanup: async () => undefined };
    },
  },
  {
    title: 'PostgreSQL (a database of its own)',
    service: ['PostgreSQL', 5432],
    bulkStatementRows: 3,
    async prepare() {
      const db = await createTestDatabase('nestprom_models');
      return { options: { type: 'postgres', url: db.url() }, cleanup: () => db.drop() };
    },
  },
  {
    title: 'MariaDB (a database of its own)',
    service: ['MariaDB', 3306],
    bulkStatementRows: 3,
    async prepare() {
      const db = await createMysqlTestDatabase('nestprom_models');
      return { options: { type: 'mysql', url: db.url }, cleanup: () => db.drop() };
    },
  },
];

function appModule(registry: Registry, options: DataSourceOptions) {
  @Module({
    imports: [
      PrometheusModule.forRoot({ registry, defaultMetrics: false }),
      TypeOrmModule.forRoot({ ...options, entities: ENTITIES, synchronize: true } as never),
    ],
  })
  class ModelsAppModule {}
  return ModelsAppModule;
}

for (const [index, backend] of BACKENDS.entries()) {
  describe(`model counters on ${backend.title}`, async () => {
    const skip = backend.service ? (await checkService(...backend.service)).skip : false;
    let started: StartedApp | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let dogs: Repository<Dog>;
    const registry = new Registry();
    before(async () => {
      if (skip) return;
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      started = await startApp(appModule(registry, prepared.options), ADAPTERS[index % ADAPTERS.length]!);
      dogs = started.app.get(DataSource).getRepository(Dog);
    });
    after(async () => {
      await started?.close();
      await cleanup?.();
    });

    it('creates every monitored model series at 0 at startup, and none for unmonitored entities', { skip }, async () => {
      for (const name of [INSERTS, UPDATES, DELETES]) {
        assert.deepEqual(
          (await getMetricsVector(name, registry)).sort((a, b) => a.labels.model!.localeCompare(b.labels.model!)),
          [{ labels: { model: 'dog' }, value: 0 }, { labels: { model: 'lawn' }, value: 0 }],
        );
      }
    });

    it("follows django-prometheus's sequence: inserts, a change without save, updates, delete, bulk insert", { skip }, async () => {
      let frozen = await saveRegistry(registry);
      const rex = await dogs.save(dogs.create({ name: 'Rex', age: 3 }));
      const fido = await dogs.save(dogs.create({ name: 'Fido', age: 5 }));
      await assertMetricDiff(frozen, 2, INSERTS, dog, registry);
      await assertMetricNoDiff(frozen, UPDATES, dog, registry);

      frozen = await saveRegistry(registry);
      rex.age = 4; // changed in memory, never saved
      await assertMetricNoDiff(frozen, UPDATES, dog, registry);
      await assertMetricEqual(0, UPDATES, dog, registry); // the series exists: "no diff" is not "absent"

      frozen = await saveRegistry(registry);
      await dogs.save(rex);
      rex.age = 6;
      await dogs.save(rex);
      await assertMetricDiff(frozen, 2, UPDATES, dog, registry);
      await assertMetricNoDiff(frozen, INSERTS, dog, registry);

      frozen = await saveRegistry(registry);
      await dogs.remove(fido);
      await assertMetricDiff(frozen, 1, DELETES, dog, registry);

      frozen = await saveRegistry(registry);
      await dogs.insert([{ name: 'A' }, { name: 'B' }, { name: 'C' }]);
      await assertMetricDiff(frozen, 3, INSERTS, dog, registry);
      await dogs.createQueryBuilder().insert().values([{ name: 'D' }, { name: 'E' }]).execute();
      await assertMetricDiff(frozen, 5, INSERTS, dog, registry);
    });

    it(`counts Repository.update/delete on 3 rows as ${backend.bulkStatementRows} (what the driver reports), softRemove as a delete`, { skip }, async () => {
      await dogs.insert([{ name: 'bulk' }, { name: 'bulk' }, { name: 'bulk' }]);
      let frozen = await saveRegistry(registry);
      const result = await dogs.update({ name: 'bulk' }, { age: 1 });
      assert.equal(result.affected, 3, 'the caller still gets what TypeORM returns');
      await assertMetricDiff(frozen, backend.bulkStatementRows, UPDATES, dog, registry);

      frozen = await saveRegistry(registry);
      await dogs.delete({ name: 'bulk' });
      await assertMetricDiff(frozen, backend.bulkStatementRows, DELETES, dog, registry);

      frozen = await saveRegistry(registry);
      const spot = await dogs.save(dogs.create({ name: 'Spot' }));
      await dogs.softRemove(spot);
      await assertMetricDiff(frozen, 1, DELETES, dog, registry);
      await assertMetricDiff(frozen, 1, INSERTS, dog, registry);
    });

    it('writes to an unmonitored entity create no series', { skip }, async () => {
      await started!.app.get(DataSource).getRepository(Bone).save(new Bone());
      for (const name of [INSERTS, UPDATES, DELETES]) {
        assert.deepEqual((await getMetricsVector(name, registry)).map((s) => s.labels.model).sort(), ['dog', 'lawn']);
      }
    });

    it('a failed write reaches the caller with its own error and counts nothing', { skip }, async () => {
      const frozen = await saveRegistry(registry);
      const failure = await dogs.insert({ name: null as unknown as string }).then(
        () => assert.fail('a NULL name must violate NOT NULL'),
        (error: unknown) => error,
      );
      assert.equal((failure as Error).name, 'QueryFailedError');
      await assertMetricNoDiff(frozen, INSERTS, dog, registry);
    });
  });
}

describe('one DataSource instrumented by two apps on one registry', () => {
  const apps: StartedApp[] = [];
  let dataSource: DataSource | undefined;
  after(async () => {
    for (const a of apps) await a.close();
    await dataSource?.destroy();
  });

  it('counts each write once', async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: join(scratch, 'twice.sqlite'), entities: ENTITIES, synchronize: true }).initialize();
    const registry = new Registry();
    for (const adapter of ADAPTERS) {
      @Module({
        imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false })],
        providers: [{ provide: DataSource, useValue: dataSource }],
      })
      class SharedModule {}
      apps.push(await startApp(SharedModule, adapter));
    }
    const frozen = await saveRegistry(registry);
    await dataSource.getRepository(Dog).save({ name: 'Once' });
    await assertMetricDiff(frozen, 1, INSERTS, dog, registry);
    assert.equal(dataSource.subscribers.length, 1, 'one subscriber per DataSource');
  });
});

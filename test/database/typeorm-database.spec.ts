import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { PrometheusModule } from 'nest-prometheus';
import { assertMetricCompare, assertMetricDiff, getMetric, getMetricsVector, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { DataSource, EntitySchema, QueryFailedError, type DataSourceOptions } from 'typeorm';
import { checkService } from '../support/services.js';
import { closedPort, DB_TARGETS, uniqueSuffix, type DbTarget } from './support/db-targets.js';

interface Row {
  id?: number;
  name: string;
}

function rowSchema(table: string): EntitySchema<Row> {
  return new EntitySchema<Row>({
    name: `Row_${table}`,
    tableName: table,
    columns: { id: { type: Number, primary: true, generated: true }, name: { type: String } },
  });
}

async function createContext(target: DbTarget, registry: Registry, options: { database?: boolean; entities?: EntitySchema[] } = {}) {
  const imports = [
    PrometheusModule.forRoot({ registry, defaultMetrics: false, database: options.database ?? true, controller: false }),
    TypeOrmModule.forRoot({ ...target.dataSource(), entities: options.entities ?? [], retryAttempts: 0 }),
  ];
  @Module({ imports })
  class DbAppModule {}
  return NestFactory.createApplicationContext(DbAppModule, { logger: false });
}

for (const target of DB_TARGETS) {
  describe(`TypeORM DataSources found by the module: ${target.title}`, async () => {
    const skip = target.service ? (await checkService(...target.service)).skip : false;
    const labels = { alias: 'default', vendor: target.vendor };
    const table = `np_db_rows_${uniqueSuffix()}`;
    const registry = new Registry();
    const schema = rowSchema(table);
    let context: INestApplicationContext;
    let dataSource: DataSource;

    before(async () => {
      if (skip) return;
      context = await createContext(target, registry, { entities: [schema as EntitySchema] });
      dataSource = context.get<DataSource>(getDataSourceToken());
      await dataSource.query(target.createTable(table));
    });
    after(async () => {
      if (!context) return;
      await dataSource.query(`DROP TABLE ${table}`);
      await context.close();
    });

    it('20 × SELECT 1 → execute_total +20 exactly, and 20 durations in the histogram', { skip }, async () => {
      const before = await saveRegistry(registry);
      for (let i = 0; i < 20; i++) await dataSource.query('SELECT 1');
      await assertMetricDiff(before, 20, 'nestjs_db_execute_total', labels);
      await assertMetricDiff(before, 20, 'nestjs_db_query_duration_seconds_count', labels);
      await assertMetricDiff(before, 20, 'nestjs_db_query_duration_seconds_bucket', { ...labels, le: '+Inf' });
      await assertMetricCompare(before, (b, a) => (a ?? 0) > (b ?? 0), 'nestjs_db_query_duration_seconds_sum', labels);
      await assertMetricDiff(before, 0, 'nestjs_db_execute_many_total', labels);
    });

    it(`invalid SQL → errors_total{type="${target.syntaxErrorType}"} +1, and the caller gets the driver's error`, { skip }, async () => {
      const before = await saveRegistry(registry);
      const error = await dataSource.query('SELEC 1').then(
        () => assert.fail('the invalid statement succeeded'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof QueryFailedError, String(error));
      await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: target.syntaxErrorType });
      await assertMetricDiff(before, 1, 'nestjs_db_execute_total', labels);
      await assertMetricDiff(before, 1, 'nestjs_db_query_duration_seconds_count', labels);
    });

    it('a 4-row bulk insert (repository.insert) → execute_many_total +4 and execute_total +4', { skip }, async () => {
      const before = await saveRegistry(registry);
      await dataSource.getRepository(schema).insert([{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }]);
      await assertMetricDiff(before, 4, 'nestjs_db_execute_many_total', labels);
      await assertMetricDiff(before, 4, 'nestjs_db_execute_total', labels);
      const [{ count }] = (await dataSource.query(`SELECT COUNT(*) AS count FROM ${table}`)) as [{ count: number | string }];
      assert.equal(Number(count), 4);
    });

    it('the connection the DataSource opened is counted, without errors', { skip }, async () => {
      assert.ok(((await getMetric('nestjs_db_new_connections_total', labels, registry)) ?? 0) >= 1);
      assert.equal(await getMetric('nestjs_db_new_connection_errors_total', labels, registry), 0);
    });
  });

  describe(`TypeORM, more DataSources and options: ${target.title}`, async () => {
    const skip = target.service ? (await checkService(...target.service)).skip : false;

    it('two DataSources → two aliases (default and the DataSource name)', { skip }, async () => {
      const registry = new Registry();
      // Both on the same server and database: for mysql2 the alias must come from the instance, not the endpoint.
      const second = target.dataSource('second');
      @Module({
        imports: [
          PrometheusModule.forRoot({ registry, defaultMetrics: false, controller: false }),
          TypeOrmModule.forRoot({ ...target.dataSource(), retryAttempts: 0 }),
          TypeOrmModule.forRoot({ ...second, retryAttempts: 0 }),
        ],
      })
      class TwoDataSourcesModule {}
      const context = await NestFactory.createApplicationContext(TwoDataSourcesModule, { logger: false });
      try {
        const before = await saveRegistry(registry);
        await context.get<DataSource>(getDataSourceToken()).query('SELECT 1');
        for (let i = 0; i < 3; i++) await context.get<DataSource>(getDataSourceToken('second')).query('SELECT 1');
        await assertMetricDiff(before, 1, 'nestjs_db_execute_total', { alias: 'default', vendor: target.vendor });
        await assertMetricDiff(before, 3, 'nestjs_db_execute_total', { alias: 'second', vendor: target.vendor });
      } finally {
        await context.close();
      }
    });

    it('database: false → no nestjs_db_* series at all (the same app with it on has them)', { skip }, async () => {
      const dbNames = async (database: boolean) => {
        const registry = new Registry();
        const context = await createContext(target, registry, { database });
        try {
          await context.get<DataSource>(getDataSourceToken()).query('SELECT 1');
          return {
            dbNames: (await registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.includes('_db_')),
            executes: await getMetricsVector('nestjs_db_execute_total', registry),
          };
        } finally {
          await context.close();
        }
      };
      const on = await dbNames(true);
      assert.equal(on.dbNames.length, 6);
      assert.equal(on.executes.length, 1);
      const off = await dbNames(false);
      assert.deepEqual(off.dbNames, []);
      assert.deepEqual(off.executes, []);
    });

    it('the namespace prefixes every family, and instrumenting the DataSource again does not double count', { skip }, async () => {
      const registry = new Registry();
      @Module({
        imports: [
          PrometheusModule.forRoot({ registry, namespace: 'shop', defaultMetrics: false, controller: false }),
          TypeOrmModule.forRoot({ ...target.dataSource(), retryAttempts: 0 }),
        ],
      })
      class NamespacedModule {}
      const context = await NestFactory.createApplicationContext(NamespacedModule, { logger: false });
      try {
        const ds = context.get<DataSource>(getDataSourceToken());
        const { instrumentDataSource } = await import('nest-prometheus');
        instrumentDataSource(ds, 'default', { registry, namespace: 'shop' });
        const before = await saveRegistry(registry);
        await ds.query('SELECT 1');
        await assertMetricDiff(before, 1, 'shop_nestjs_db_execute_total', { alias: 'default', vendor: target.vendor });
        const names = (await registry.getMetricsAsJSON()).map((m) => m.name).filter((n) => n.includes('_db_'));
        assert.deepEqual(names.sort(), [
          'shop_nestjs_db_errors_total',
          'shop_nestjs_db_execute_many_total',
          'shop_nestjs_db_execute_total',
          'shop_nestjs_db_new_connection_errors_total',
          'shop_nestjs_db_new_connections_total',
          'shop_nestjs_db_query_duration_seconds',
        ]);
      } finally {
        await context.close();
      }
    });

    if (target.vendor !== 'sqlite') {
      it('a DataSource on a closed port → new_connections_total +1 and new_connection_errors_total +1', { skip }, async () => {
        const registry = new Registry();
        const port = await closedPort();
        const options = target.dataSource('unreachable') as DataSourceOptions & { url: string };
        const ds = new DataSource({ ...options, url: options.url.replace(/:(5432|3306)\//, `:${port}/`) } as DataSourceOptions);
        const { instrumentDataSource } = await import('nest-prometheus');
        instrumentDataSource(ds, undefined, { registry });
        const before = await saveRegistry(registry);
        await assert.rejects(ds.initialize());
        const labels = { alias: 'unreachable', vendor: target.vendor };
        await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', labels);
        await assertMetricDiff(before, 1, 'nestjs_db_new_connection_errors_total', labels);
      });
    }
  });
}

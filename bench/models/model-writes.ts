/**
 * What the model counters add to a TypeORM write, and what one migrations-table read costs.
 * Run after `npm run build:all`: `node build/bench/models/model-writes.js [--rounds=7] [--ops=1500]`.
 *
 * Two in-memory SQLite DataSources (better-sqlite3, so no disk sync hides the CPU cost; same entity, `@MonitorModel`): one
 * instrumented by a real Nest application context with `PrometheusModule` (the subscriber is
 * installed at bootstrap), one left alone. Each round times `ops` `save()` calls of a new entity and
 * `ops / 10` ten-row `insert()` calls on each, the order alternating between rounds; the table gives
 * medians and min–max over rounds of µs per operation and the added ns per operation (per round,
 * instrumented minus plain, then the median).
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MigrationMetricsService, MonitorModel, PrometheusModule } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

@MonitorModel('bench_dog')
@Entity('bench_dog')
class BenchDog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 50 })
  name!: string;
}

class CreateBenchDog1764200000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE bench_dog (id integer PRIMARY KEY AUTOINCREMENT, name varchar(50) NOT NULL)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE bench_dog');
  }
}

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const ROUNDS = arg('rounds', 7);
const OPS = arg('ops', 1500);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`;

async function dataSource(file: string): Promise<DataSource> {
  const ds = await new DataSource({ type: 'better-sqlite3', database: file, entities: [BenchDog], migrations: [CreateBenchDog1764200000000] }).initialize();
  await ds.runMigrations();
  return ds;
}

async function timeSaves(ds: DataSource): Promise<number> {
  const repo = ds.getRepository(BenchDog);
  const start = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) await repo.save(repo.create({ name: `d${i}` }));
  return Number(process.hrtime.bigint() - start) / 1000 / OPS;
}

async function timeBulk(ds: DataSource): Promise<number> {
  const repo = ds.getRepository(BenchDog);
  const n = Math.max(1, Math.floor(OPS / 10));
  const batches = Array.from({ length: n }, () => Array.from({ length: 10 }, (_, i) => ({ name: `b${i}` })));
  const start = process.hrtime.bigint();
  for (const rows of batches) await repo.insert(rows);
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

async function main(): Promise<void> {
  const plain = await dataSource(':memory:');
  const instrumented = await dataSource(':memory:');
  const registry = new Registry();
  @Module({
    imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, http: false, exportMigrations: true })],
    providers: [{ provide: DataSource, useValue: instrumented }],
  })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  await app.init();
  await app.get(MigrationMetricsService).settled();

  const results = { save: { plain: [] as number[], inst: [] as number[], added: [] as number[] }, bulk: { plain: [] as number[], inst: [] as number[], added: [] as number[] } };
  await timeSaves(plain);
  await timeSaves(instrumented); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, run] of [['save', timeSaves], ['bulk', timeBulk]] as const) {
      const order = round % 2 === 0 ? [plain, instrumented] : [instrumented, plain];
      const [first, second] = [await run(order[0]!), await run(order[1]!)];
      const [p, i] = order[0] === plain ? [first, second] : [second, first];
      results[kind].plain.push(p);
      results[kind].inst.push(i);
      results[kind].added.push((i - p) * 1000);
    }
  }

  const readTimes: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = process.hrtime.bigint();
    await app.get(MigrationMetricsService).refresh();
    readTimes.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  const inserts = (await registry.getSingleMetricAsString('nestjs_model_inserts_total')).split('\n').find((l) => l.includes('bench_dog'));

  console.log(`## Migrations and models\n`);
  console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds of ${OPS} saves and ${Math.floor(OPS / 10)} ten-row inserts, in-memory SQLite (better-sqlite3).\n`);
  console.log('| operation | plain µs/op (median, min–max) | instrumented µs/op | added ns/op (median, min–max) |');
  console.log('|---|---:|---:|---:|');
  for (const [label, kind] of [['`save()` of a new entity', 'save'], ['`insert()` of 10 rows', 'bulk']] as const) {
    const r = results[kind];
    console.log(`| ${label} | ${median(r.plain).toFixed(1)} (${spread(r.plain)}) | ${median(r.inst).toFixed(1)} (${spread(r.inst)}) | ${median(r.added).toFixed(0)} (${Math.min(...r.added).toFixed(0)}–${Math.max(...r.added).toFixed(0)}) |`);
  }
  console.log(`\nOne read of the migrations table (\`refresh()\`, off the request path): median ${median(readTimes).toFixed(0)} µs (${spread(readTimes)}).`);
  console.log(`\nCheck: ${inserts}`);

  await app.close();
  await plain.destroy();
  await instrumented.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

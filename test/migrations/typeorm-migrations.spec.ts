import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Module, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { MigrationMetricsService, MultiprocessMetricsService, PrometheusModule } from 'nest-prometheus';
import { getMetric, getMetricsVector } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { promlint } from '../support/promlint.js';
import { checkService } from '../support/services.js';
import { threeMigrations } from './migration-fixtures.js';
import { createTestDatabase } from './pg-database.js';
import { startTcpProxy } from './tcp-proxy.js';

const APPLIED = 'nestjs_migrations_applied_total';
const UNAPPLIED = 'nestjs_migrations_unapplied_total';
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 7)}`;
const scratch = mkdtempSync(join(tmpdir(), 'nest-prom-migr-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Backend {
  readonly title: string;
  readonly service?: readonly [string, number];
  /** Returns DataSource options (without migrations) and a clean-up. */
  prepare(): Promise<{ options: DataSourceOptions; cleanup(): Promise<void> }>;
}

const BACKENDS: ReadonlyArray<Backend> = [
  {
    title: 'SQLite (better-sqlite3 file)',
    async prepare() {
      return { options: { type: 'better-sqlite3', database: join(scratch, `migr-${Math.random().toString(36).slice(2)}.sqlite`) }, cleanup: async () => undefined };
    },
  },
  {
    title: 'PostgreSQL (a database of its own)',
    service: ['PostgreSQL', 5432],
    async prepare() {
      const db = await createTestDatabase('nestprom_migr');
      return { options: { type: 'postgres', url: db.url() }, cleanup: () => db.drop() };
    },
  },
];

/** Runs the first two of the three migrations with a DataSource of its own, then closes it. */
async function runFirstTwo(options: DataSourceOptions, migrations: ReturnType<typeof threeMigrations>): Promise<void> {
  const ds = await new DataSource({ ...options, migrations: migrations.slice(0, 2) } as DataSourceOptions).initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

function appModule(registry: Registry, options: DataSourceOptions, migrations: ReturnType<typeof threeMigrations>, extra: object = {}) {
  @Module({
    imports: [
      PrometheusModule.forRoot({ registry, defaultMetrics: false, exportMigrations: true, ...extra }),
      TypeOrmModule.forRoot({ ...options, migrations, migrationsRun: false, synchronize: false } as never),
    ],
  })
  class MigrationsAppModule {}
  return MigrationsAppModule;
}

for (const [index, backend] of BACKENDS.entries()) {
  describe(`migration gauges on ${backend.title}`, async () => {
    const skip = backend.service ? (await checkService(...backend.service)).skip : false;
    const adapter = ADAPTERS[index % ADAPTERS.length]!;
    let started: StartedApp | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    let registry: Registry;
    before(async () => {
      if (skip) return;
      const prepared = await backend.prepare();
      cleanup = prepared.cleanup;
      const migrations = threeMigrations(suffix);
      await runFirstTwo(prepared.options, migrations);
      registry = new Registry();
      started = await startApp(appModule(registry, prepared.options, migrations), adapter);
    });
    after(async () => {
      await started?.close();
      await cleanup?.();
    });

    it('3 defined, 2 run: applied 2, unapplied 1 (read in the background after bootstrap)', { skip }, async () => {
      await started!.app.get(MigrationMetricsService).settled();
      assert.equal(await getMetric(APPLIED, { connection: 'default' }, registry), 2);
      assert.equal(await getMetric(UNAPPLIED, { connection: 'default' }, registry), 1);
    });

    it('running the third in the same process refreshes them to 3 / 0 at the next scrape', { skip }, async (t) => {
      const ran = await started!.app.get(DataSource).runMigrations();
      assert.equal(ran.length, 1, 'the wrapped runMigrations returns what TypeORM returns');
      const text = await (await fetch(`${started!.url}/metrics`)).text();
      assert.match(text, new RegExp(`^${APPLIED}\\{connection="default"\\} 3$`, 'm'));
      assert.match(text, new RegExp(`^${UNAPPLIED}\\{connection="default"\\} 0$`, 'm'));
      assert.match(text, new RegExp(`^# TYPE ${APPLIED} gauge$`, 'm'));
      const lint = await promlint(text, t);
      assert.equal(lint.code, 0, lint.output);
    });

    it('undoLastMigration refreshes them too, and its errors reach the caller unchanged', { skip }, async () => {
      const ds = started!.app.get(DataSource);
      await ds.undoLastMigration();
      assert.equal(await getMetric(APPLIED, { connection: 'default' }, registry), 2);
      assert.equal(await getMetric(UNAPPLIED, { connection: 'default' }, registry), 1);
      await ds.runMigrations();
      assert.equal(await getMetric(UNAPPLIED, { connection: 'default' }, registry), 0);
    });
  });
}

/** Collects what the app logs, to count warnings. */
class CapturingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

describe('an unreachable database at startup (PostgreSQL behind a closed port)', async () => {
  const skip = (await checkService('PostgreSQL', 5432)).skip;
  const logger = new CapturingLogger();
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let dataSource: DataSource | undefined;
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  const registry = new Registry();
  before(async () => {
    if (skip) return;
    db = await createTestDatabase('nestprom_migr_down');
    const proxy = await startTcpProxy(5432);
    // Connected while the database was reachable, then cut off: every later query is refused.
    dataSource = await new DataSource({ type: 'postgres', url: db.url(proxy.port), migrations: threeMigrations(suffix) }).initialize();
    await proxy.close();
    @Module({
      imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, exportMigrations: true })],
      providers: [{ provide: DataSource, useValue: dataSource }],
    })
    class DownModule {}
    app = await NestFactory.create(DownModule, new ExpressAdapter(), { logger, abortOnError: false });
    await app.listen(0, '127.0.0.1');
  });
  after(async () => {
    await app?.close();
    await dataSource?.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('logs one warning, serves requests, and exports no migration series', { skip }, async () => {
    await app!.get(MigrationMetricsService).settled();
    const { port } = app!.getHttpServer().address() as { port: number };
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.doesNotMatch(await res.text(), /^nestjs_migrations_\w+\{/m, 'absent, not zero, until known');
    }
    assert.deepEqual(await getMetricsVector(APPLIED, registry), []);
    const ours = logger.warnings.filter((w) => w.includes('migration gauges'));
    assert.equal(ours.length, 1, logger.warnings.join('\n'));
    assert.match(ours[0]!, /connection "default"/);
  });
});

describe('a database that accepts connections and never answers (PostgreSQL behind a stalled proxy)', async () => {
  const skip = (await checkService('PostgreSQL', 5432)).skip;
  const logger = new CapturingLogger();
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
  let dataSource: DataSource | undefined;
  let app: Awaited<ReturnType<typeof NestFactory.create>> | undefined;
  const registry = new Registry();
  before(async () => {
    if (skip) return;
    db = await createTestDatabase('nestprom_migr_slow');
    proxy = await startTcpProxy(5432);
    dataSource = await new DataSource({ type: 'postgres', url: db.url(proxy.port), migrations: threeMigrations(suffix) }).initialize();
    proxy.hold();
    @Module({
      imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, exportMigrations: true })],
      providers: [{ provide: DataSource, useValue: dataSource }],
    })
    class SlowModule {}
    app = await NestFactory.create(SlowModule, new ExpressAdapter(), { logger, abortOnError: false });
    await app.listen(0, '127.0.0.1');
  });
  after(async () => {
    await app?.close();
    await proxy?.close();
    await dataSource?.destroy().catch(() => undefined);
    await db?.drop();
  });

  it('bootstrap and scrapes do not wait for it; the bounded read ends in one warning and no series', { skip }, async () => {
    let readFinished = false;
    const settled = app!.get(MigrationMetricsService).settled().then(() => (readFinished = true));
    const { port } = app!.getHttpServer().address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    assert.doesNotMatch(await res.text(), /^nestjs_migrations_\w+\{/m);
    assert.equal(readFinished, false, 'the app listened and answered while the read was still waiting for the database');
    await settled;
    const ours = logger.warnings.filter((w) => w.includes('migration gauges'));
    assert.equal(ours.length, 1, logger.warnings.join('\n'));
    assert.match(ours[0]!, /took longer than \d+ ms/);
    assert.deepEqual(await getMetricsVector(APPLIED, registry), []);
  });
});

describe('two named DataSources and a namespace', () => {
  let started: StartedApp | undefined;
  after(async () => started?.close());

  it('labels each with its @nestjs/typeorm name, under the namespaced names', async () => {
    const main = threeMigrations(`main_${suffix}`);
    const reports = threeMigrations(`rep_${suffix}`);
    const mainOptions: DataSourceOptions = { type: 'better-sqlite3', database: join(scratch, 'main.sqlite') };
    const reportsOptions: DataSourceOptions = { type: 'better-sqlite3', database: join(scratch, 'reports.sqlite') };
    await runFirstTwo(mainOptions, main);
    const registry = new Registry();
    @Module({
      imports: [
        PrometheusModule.forRoot({ registry, defaultMetrics: false, exportMigrations: true, namespace: 'shop' }),
        TypeOrmModule.forRoot({ ...mainOptions, migrations: main } as never),
        TypeOrmModule.forRoot({ ...reportsOptions, name: 'reports', migrations: reports } as never),
      ],
    })
    class NamedModule {}
    started = await startApp(NamedModule, ADAPTERS[0]!);
    await started.app.get(MigrationMetricsService).settled();
    const byConnection = async (name: string) =>
      Object.fromEntries((await getMetricsVector(name, registry)).map((s) => [s.labels.connection, s.value]));
    assert.deepEqual(await byConnection(`shop_${APPLIED}`), { default: 2, reports: 0 });
    assert.deepEqual(await byConnection(`shop_${UNAPPLIED}`), { default: 1, reports: 3 });
    const reportsSource = started.app.get<DataSource>(getDataSourceToken('reports'));
    assert.deepEqual(await reportsSource.query("SELECT name FROM sqlite_master WHERE name = 'migrations'"), [], 'reading never creates the migrations table');
  });
});

describe('multi-process aggregate (two apps sharing multiprocessDir and one SQLite database)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-migr-mp-'));
  const apps: StartedApp[] = [];
  after(async () => {
    for (const a of apps) await a.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds one series per connection, not one per process', async () => {
    const options: DataSourceOptions = { type: 'better-sqlite3', database: join(scratch, 'mp.sqlite') };
    const migrations = threeMigrations(`mp_${suffix}`);
    await runFirstTwo(options, migrations);
    const registries = [new Registry(), new Registry()];
    for (const [i, registry] of registries.entries()) {
      apps.push(await startApp(appModule(registry, options, migrations, { multiprocessDir: dir }), ADAPTERS[i]!));
    }
    for (const a of apps) await a.app.get(MigrationMetricsService).settled();
    await apps[1]!.app.get(MultiprocessMetricsService).flush();
    const aggregate = await apps[0]!.app.get(MultiprocessMetricsService).aggregate();
    const applied = await getMetricsVector(APPLIED, aggregate);
    assert.deepEqual(applied, [{ labels: { connection: 'default' }, value: 2 }]);
    assert.deepEqual(await getMetricsVector(UNAPPLIED, aggregate), [{ labels: { connection: 'default' }, value: 1 }]);
  });
});

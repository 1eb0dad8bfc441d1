import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import knex from 'knex';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import pg from 'pg';
import { instrumentBetterSqlite3, instrumentMysql2, instrumentPg } from 'nest-prometheus';
import { assertMetricDiff, getMetric, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { checkService } from '../support/services.js';
import { closedPort, MYSQL_URL, POSTGRES_URL, uniqueSuffix } from './support/db-targets.js';

/** Runs `run` on an uninstrumented and an instrumented target and returns both errors. */
async function bothErrors(run: (instrumented: boolean) => Promise<unknown>): Promise<[unknown, unknown]> {
  const capture = (instrumented: boolean) =>
    run(instrumented).then(
      () => assert.fail('the invalid statement succeeded'),
      (e: unknown) => e,
    );
  return [await capture(false), await capture(true)];
}

/** The same error a plain driver gives: same class and the same own fields (the stack differs only by call site). */
function assertSameKindOfError(plain: unknown, measured: unknown): void {
  assert.ok(measured instanceof Error);
  assert.equal(Object.getPrototypeOf(measured), Object.getPrototypeOf(plain));
  const fields = (e: unknown) => Object.fromEntries(Object.entries(e as object).filter(([k]) => k !== 'stack'));
  assert.deepEqual(fields(measured), fields(plain));
}

describe('pg: instrumentPg on a Pool and on a Client', async () => {
  const { skip } = await checkService('PostgreSQL', 5432);
  const registry = new Registry();
  const labels = { alias: 'pg', vendor: 'postgresql' };
  let pool: pg.Pool;
  before(() => {
    if (skip) return;
    pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    instrumentPg(pool, { alias: 'pg', registry });
    instrumentPg(pool, { alias: 'pg', registry }); // a second call is a no-op
  });
  after(() => pool?.end());

  it('20 × SELECT 1 (promise and callback) → execute_total +20, durations +20; connections counted before they succeed', { skip }, async () => {
    const before = await saveRegistry(registry);
    for (let i = 0; i < 10; i++) await pool.query('SELECT 1');
    for (let i = 0; i < 10; i++) {
      await new Promise<void>((resolve, reject) => pool.query('SELECT $1::int AS n', [i], (err, res) => (err ? reject(err) : (assert.equal(res.rows[0].n, i), resolve()))));
    }
    await assertMetricDiff(before, 20, 'nestjs_db_execute_total', labels);
    await assertMetricDiff(before, 20, 'nestjs_db_query_duration_seconds_count', labels);
    await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', labels);
    await assertMetricDiff(before, 0, 'nestjs_db_new_connection_errors_total', labels);
  });

  it('invalid SQL → errors_total{type="ProgrammingError"} +1; the caller gets the driver’s own error, same result rows', { skip }, async () => {
    const plain = new pg.Client({ connectionString: POSTGRES_URL });
    await plain.connect();
    try {
      const before = await saveRegistry(registry);
      const [plainError, measuredError] = await bothErrors((instrumented) => (instrumented ? pool : plain).query('SELEC 1'));
      assertSameKindOfError(plainError, measuredError);
      assert.equal((measuredError as { code: string }).code, '42601');
      await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: 'ProgrammingError' });
      assert.deepEqual((await pool.query('SELECT 1 AS one')).rows, (await plain.query('SELECT 1 AS one')).rows);
    } finally {
      await plain.end();
    }
  });

  it('a Client: its connect() is a new connection, its queries are statements', { skip }, async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    instrumentPg(client, { alias: 'client', registry });
    const before = await saveRegistry(registry);
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
    await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', { alias: 'client', vendor: 'postgresql' });
    await assertMetricDiff(before, 1, 'nestjs_db_execute_total', { alias: 'client', vendor: 'postgresql' });
  });

  it('a Pool on a closed port → new_connections_total +1 and new_connection_errors_total +1; the caller gets the error', { skip }, async () => {
    const dead = new pg.Pool({ host: '127.0.0.1', port: await closedPort(), user: 'postgres', database: 'test' });
    instrumentPg(dead, { alias: 'dead', registry });
    const before = await saveRegistry(registry);
    await assert.rejects(dead.query('SELECT 1'), { code: 'ECONNREFUSED' });
    await dead.end();
    await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', { alias: 'dead', vendor: 'postgresql' });
    await assertMetricDiff(before, 1, 'nestjs_db_new_connection_errors_total', { alias: 'dead', vendor: 'postgresql' });
  });

  it('a query builder on the driver (Knex, measured through its afterCreate hook) is counted statement by statement', { skip }, async () => {
    const table = `np_knex_${uniqueSuffix()}`;
    const db = knex({
      client: 'pg',
      connection: POSTGRES_URL,
      pool: {
        min: 0,
        max: 1,
        afterCreate: (connection: pg.Client, done: (error: Error | null, connection: pg.Client) => void) => {
          instrumentPg(connection, { alias: 'knex', registry });
          done(null, connection);
        },
      },
    });
    try {
      await db.schema.createTable(table, (t) => {
        t.increments('id');
        t.string('name');
      });
      const before = await saveRegistry(registry);
      for (let i = 0; i < 20; i++) await db.select(db.raw('1 AS one'));
      await db(table).insert([{ name: 'a' }, { name: 'b' }]);
      await assertMetricDiff(before, 21, 'nestjs_db_execute_total', { alias: 'knex', vendor: 'postgresql' });
      await db.schema.dropTable(table);
    } finally {
      await db.destroy();
    }
  });
});

describe('mysql2: instrumentMysql2 through its diagnostics channels', async () => {
  const { skip } = await checkService('MariaDB', 3306);
  const registry = new Registry();
  const labels = { alias: 'my', vendor: 'mysql' };
  let pool: mysql.Pool;
  before(() => {
    if (skip) return;
    pool = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 2 });
    instrumentMysql2(pool, { alias: 'my', registry });
  });
  after(() => new Promise<void>((resolve) => (pool ? pool.end(() => resolve()) : resolve())));

  it('20 × SELECT 1 (callback and promise API) → execute_total +20, durations +20, one new connection', { skip }, async () => {
    const before = await saveRegistry(registry);
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve, reject) => pool.query('SELECT 1', (err) => (err ? reject(err) : resolve())));
    for (let i = 0; i < 10; i++) await pool.promise().query('SELECT 1');
    await assertMetricDiff(before, 20, 'nestjs_db_execute_total', labels);
    await assertMetricDiff(before, 20, 'nestjs_db_query_duration_seconds_count', labels);
    await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', labels);
  });

  it('invalid SQL → errors_total{type="ProgrammingError"} +1; the caller gets the driver’s own error', { skip }, async () => {
    const plain = await mysqlPromise.createConnection({ uri: MYSQL_URL.replace('127.0.0.1', 'localhost') });
    try {
      const before = await saveRegistry(registry);
      const [plainError, measuredError] = await bothErrors((instrumented) => (instrumented ? pool.promise() : plain).query('SELEC 1'));
      assert.equal((measuredError as { code: string }).code, 'ER_PARSE_ERROR');
      assert.equal(Object.getPrototypeOf(measuredError), Object.getPrototypeOf(plainError));
      await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: 'ProgrammingError' });
    } finally {
      await plain.end();
    }
  });

  it('two pools on the same server and database keep their own alias; one already in use when instrumented too', { skip }, async () => {
    const early = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1 }).promise();
    const late = mysql.createPool({ uri: MYSQL_URL, connectionLimit: 1 }).promise();
    try {
      await early.query('SELECT 1'); // its connection exists before instrumentation
      instrumentMysql2(early, { alias: 'early', registry });
      instrumentMysql2(late, { alias: 'late', registry });
      const before = await saveRegistry(registry);
      for (let i = 0; i < 2; i++) await early.query('SELECT 1');
      for (let i = 0; i < 5; i++) await late.execute('SELECT ?', [i]);
      await assertMetricDiff(before, 2, 'nestjs_db_execute_total', { alias: 'early', vendor: 'mysql' });
      await assertMetricDiff(before, 5, 'nestjs_db_execute_total', { alias: 'late', vendor: 'mysql' });
      await assertMetricDiff(before, 0, 'nestjs_db_execute_total', labels);
      await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', { alias: 'late', vendor: 'mysql' });
    } finally {
      await early.end();
      await late.end();
    }
  });

  it('a pool on a closed port → new_connections_total +1 and new_connection_errors_total +1', { skip }, async () => {
    const dead = mysql.createPool({ host: '127.0.0.1', port: await closedPort(), user: 'root', database: 'test' });
    instrumentMysql2(dead.promise(), { alias: 'dead', registry });
    const before = await saveRegistry(registry);
    await assert.rejects(dead.promise().query('SELECT 1'), { code: 'ECONNREFUSED' });
    await dead.promise().end();
    await assertMetricDiff(before, 1, 'nestjs_db_new_connections_total', { alias: 'dead', vendor: 'mysql' });
    await assertMetricDiff(before, 1, 'nestjs_db_new_connection_errors_total', { alias: 'dead', vendor: 'mysql' });
  });
});

describe('better-sqlite3: instrumentBetterSqlite3 on a Database', () => {
  const registry = new Registry();
  const labels = { alias: 'lite', vendor: 'sqlite' };
  const db = new Database(':memory:');
  instrumentBetterSqlite3(db, { alias: 'lite', registry });
  after(() => db.close());

  it('the open database is one connection; run/get/all/exec are statements; results unchanged', async () => {
    assert.equal(await getMetric('nestjs_db_new_connections_total', labels, registry), 1);
    const before = await saveRegistry(registry);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)');
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    assert.equal(insert.run('a').changes, 1);
    assert.deepEqual(db.prepare('SELECT name FROM t').get(), { name: 'a' });
    assert.deepEqual(db.prepare('SELECT name FROM t').pluck().all(), ['a']);
    for (let i = 0; i < 16; i++) db.prepare('SELECT 1').get();
    await assertMetricDiff(before, 20, 'nestjs_db_execute_total', labels);
    await assertMetricDiff(before, 20, 'nestjs_db_query_duration_seconds_count', labels);
  });

  it('invalid SQL → OperationalError, a unique violation → IntegrityError; the same error object reaches the caller', async () => {
    const before = await saveRegistry(registry);
    assert.throws(() => db.prepare('SELEC 1'), { code: 'SQLITE_ERROR' });
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    let caught: unknown;
    try {
      insert.run('a');
    } catch (error) {
      caught = error;
    }
    assert.equal((caught as { code: string }).code, 'SQLITE_CONSTRAINT_UNIQUE');
    assert.equal((caught as Error).constructor.name, 'SqliteError');
    await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: 'OperationalError' });
    await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: 'IntegrityError' });
    await assertMetricDiff(before, 2, 'nestjs_db_execute_total', labels);
  });

  it('only the instance handed over is measured: another database counts nothing', async () => {
    const other = new Database(':memory:');
    try {
      const before = await saveRegistry(registry);
      other.prepare('SELECT 1').get();
      await assertMetricDiff(before, 0, 'nestjs_db_execute_total', labels);
      assert.equal((await registry.getMetricsAsJSON()).find((m) => m.name === 'nestjs_db_execute_total')?.values.length, 1);
    } finally {
      other.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import Database from 'better-sqlite3';
import { instrumentBetterSqlite3 } from 'nest-prometheus';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';

describe('the database instrumentation never changes what the app gets', () => {
  const registry = new Registry();
  const labels = { alias: 'safety', vendor: 'sqlite' };
  const db = new Database(':memory:');
  instrumentBetterSqlite3(db, { alias: 'safety', registry });
  after(() => db.close());

  it('an error thrown inside a statement (a SQL function) reaches the caller as the very same object', async () => {
    const thrown = new Error('from the app');
    db.function('fail_here', () => {
      throw thrown;
    });
    const before = await saveRegistry(registry);
    let caught: unknown;
    try {
      db.prepare('SELECT fail_here()').get();
    } catch (error) {
      caught = error;
    }
    assert.equal(caught, thrown);
    assert.equal((caught as Error).stack, thrown.stack);
    await assertMetricDiff(before, 1, 'nestjs_db_errors_total', { ...labels, type: 'DatabaseError' });
  });

  it('a failure inside the instrumentation (an error whose fields throw) is logged once, and the app still gets its error', async () => {
    const errors: string[] = [];
    const capture: LoggerService = { log: () => undefined, warn: () => undefined, error: (message: unknown) => void errors.push(String(message)) };
    Logger.overrideLogger(capture);
    try {
      const hostile = Object.defineProperty(new Error('hostile'), 'code', {
        get() {
          throw new Error('a getter that throws');
        },
      });
      db.function('fail_hostile', () => {
        throw hostile;
      });
      const statement = db.prepare('SELECT fail_hostile()');
      const before = await saveRegistry(registry);
      for (let i = 0; i < 3; i++) assert.throws(() => statement.get(), (e: unknown) => e === hostile);
      // Counted before it ran; the failed classification is what was skipped.
      await assertMetricDiff(before, 3, 'nestjs_db_execute_total', labels);
      assert.equal(errors.filter((m) => m.includes('Database metrics')).length, 1, errors.join('\n'));
      // The statements after it are measured as before.
      const next = await saveRegistry(registry);
      assert.deepEqual(db.prepare('SELECT 2 AS two').get(), { two: 2 });
      await assertMetricDiff(next, 1, 'nestjs_db_execute_total', labels);
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
  });
});

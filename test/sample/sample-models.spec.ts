import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createTestDatabase } from '../migrations/pg-database.js';
import { promlint } from '../support/promlint.js';
import { startSample, type SampleProcess } from '../support/sample-process.js';
import { checkService } from '../support/services.js';

const scratch = mkdtempSync(join(tmpdir(), 'nest-prom-sample-models-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const json = { 'content-type': 'application/json' };

/** The value of one exact series line (`name{labels}`) in an exposition, or `undefined` when absent. */
function valueOf(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

interface Variant {
  readonly title: string;
  readonly service?: readonly [string, number];
  databaseUrl(): Promise<{ url: string; cleanup(): Promise<void> }>;
  readonly env?: Record<string, string>;
}

const VARIANTS: ReadonlyArray<Variant> = [
  {
    title: 'express, SQLite',
    databaseUrl: async () => ({ url: `sqlite:${join(scratch, 'sample.sqlite')}`, cleanup: async () => undefined }),
  },
  {
    title: 'fastify, PostgreSQL (a database of its own)',
    service: ['PostgreSQL', 5432],
    env: { HTTP_ADAPTER: 'fastify' },
    async databaseUrl() {
      const db = await createTestDatabase('nestprom_sample_models');
      return { url: db.url(), cleanup: () => db.drop() };
    },
  },
];

for (const variant of VARIANTS) {
  describe(`sample: model counters and migration gauges (${variant.title})`, async () => {
    const skip = variant.service ? (await checkService(...variant.service)).skip : false;
    let sample: SampleProcess | undefined;
    let cleanup: (() => Promise<void>) | undefined;
    before(async () => {
      if (skip) return;
      const db = await variant.databaseUrl();
      cleanup = db.cleanup;
      sample = await startSample({ ...variant.env, DATABASE_URL: db.url });
    });
    after(async () => {
      if (sample) assert.deepEqual(await sample.stop(), { code: null, signal: 'SIGTERM' }, sample.output());
      await cleanup?.();
    });
    const request = (path: string, init?: RequestInit) => fetch(`${sample!.url}${path}`, init);
    const scrape = async () => (await request('/metrics')).text();

    it('exports the migration gauges: the sample ran its one migration at startup (applied 1, unapplied 0)', { skip }, async (t) => {
      // The first read runs in the background after bootstrap: wait for the series to appear.
      let text = await scrape();
      for (let i = 0; i < 200 && valueOf(text, 'nestjs_migrations_applied_total{connection="default"}') === undefined; i++) {
        await delay(25);
        text = await scrape();
      }
      assert.equal(valueOf(text, 'nestjs_migrations_applied_total{connection="default"}'), 1, text);
      assert.equal(valueOf(text, 'nestjs_migrations_unapplied_total{connection="default"}'), 0);
      const lint = await promlint(text, t);
      assert.equal(lint.code, 0, lint.output);
    });

    it('has the dog and lawn series at 0 before any write', { skip }, async () => {
      const text = await scrape();
      for (const kind of ['inserts', 'updates', 'deletes']) {
        for (const model of ['dog', 'lawn']) assert.equal(valueOf(text, `nestjs_model_${kind}_total{model="${model}"}`), 0, `${kind} ${model}`);
      }
    });

    it('POST /newlawn/:location and POST, PATCH, DELETE /dogs move nestjs_model_*_total', { skip }, async () => {
      const before = await scrape();
      assert.equal((await request('/newlawn/garden', { method: 'POST' })).status, 201);
      const created = await request('/dogs', { method: 'POST', headers: json, body: JSON.stringify({ name: 'Rex', breed: 'lab', age: 3 }) });
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: number };
      assert.equal((await request(`/dogs/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ age: 4 }) })).status, 200);
      assert.equal((await request(`/dogs/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ age: 5 }) })).status, 200);
      assert.equal((await request(`/dogs/${id}`, { method: 'DELETE' })).status, 204);
      assert.equal((await request(`/dogs/${id}`, { method: 'DELETE' })).status, 404);
      const afterText = await scrape();
      const diff = (series: string) => (valueOf(afterText, series) ?? NaN) - (valueOf(before, series) ?? NaN);
      assert.equal(diff('nestjs_model_inserts_total{model="lawn"}'), 1);
      assert.equal(diff('nestjs_model_inserts_total{model="dog"}'), 1);
      assert.equal(diff('nestjs_model_updates_total{model="dog"}'), 2);
      assert.equal(diff('nestjs_model_deletes_total{model="dog"}'), 1, 'the 404 delete counts nothing');
      assert.equal(diff('nestjs_model_updates_total{model="lawn"}'), 0);
    });
  });
}

describe('sample with PROMETHEUS_EXPORT_MIGRATIONS=false', () => {
  let sample: SampleProcess | undefined;
  after(async () => {
    if (sample) await sample.stop();
  });

  it('exports no migration gauges, and still the model counters', async () => {
    sample = await startSample({ DATABASE_URL: `sqlite:${join(scratch, 'off.sqlite')}`, PROMETHEUS_EXPORT_MIGRATIONS: 'false' });
    const text = await (await fetch(`${sample.url}/metrics`)).text();
    assert.doesNotMatch(text, /nestjs_migrations_/);
    assert.equal(valueOf(text, 'nestjs_model_inserts_total{model="dog"}'), 0);
  });
});

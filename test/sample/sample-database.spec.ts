import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { promlint } from '../support/promlint.js';
import { startSample, type SampleProcess } from '../support/sample-process.js';
import { checkService } from '../support/services.js';

const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-sample-db-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh database on a shared server, so that the sample's migration tables (`lawn`, `dog`) are its own. */
interface Variant {
  readonly title: string;
  readonly vendor: 'sqlite' | 'postgresql' | 'mysql';
  readonly service?: readonly [name: string, port: number];
  /** Creates the database and returns its DATABASE_URL and how to drop it. */
  create(name: string): Promise<{ url: string; drop: () => Promise<void> }>;
}

const VARIANTS: ReadonlyArray<Variant> = [
  {
    title: 'SQLite file',
    vendor: 'sqlite',
    create: async (name) => ({ url: `sqlite:${join(scratch, `${name}.sqlite`)}`, drop: async () => undefined }),
  },
  {
    title: 'PostgreSQL',
    vendor: 'postgresql',
    service: ['PostgreSQL', 5432],
    async create(name) {
      const admin = async (sql: string) => {
        const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
        await client.connect();
        try {
          await client.query(sql);
        } finally {
          await client.end();
        }
      };
      await admin(`CREATE DATABASE ${name}`);
      return { url: `postgres://postgres@127.0.0.1:5432/${name}`, drop: () => admin(`DROP DATABASE ${name}`) };
    },
  },
  {
    title: 'MariaDB',
    vendor: 'mysql',
    service: ['MariaDB', 3306],
    async create(name) {
      const admin = async (sql: string) => {
        const connection = await mysql.createConnection({ uri: 'mysql://root@127.0.0.1:3306/test' });
        try {
          await connection.query(sql);
        } finally {
          await connection.end();
        }
      };
      await admin(`CREATE DATABASE ${name}`);
      return { url: `mysql://root@127.0.0.1:3306/${name}`, drop: () => admin(`DROP DATABASE ${name}`) };
    },
  },
];

/** The value of one sample line in an exposition, or undefined. */
function sampleValue(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const variant of VARIANTS) {
  describe(`sample app database metrics (${variant.title})`, async () => {
    const skip = variant.service ? (await checkService(...variant.service)).skip : false;
    let sample: SampleProcess | undefined;
    let drop: (() => Promise<void>) | undefined;
    before(async () => {
      if (skip) return;
      const created = await variant.create(`np_sample_${randomBytes(4).toString('hex')}`);
      drop = created.drop;
      sample = await startSample({ DATABASE_URL: created.url, PROMETHEUS_EXPORT_MIGRATIONS: 'false' });
    });
    after(async () => {
      if (sample) assert.deepEqual(await sample.stop(), { code: null, signal: 'SIGTERM' }, sample.output());
      await drop?.();
    });
    const metrics = async () => {
      const res = await fetch(`${sample!.url}/metrics`);
      assert.equal(res.status, 200);
      return res.text();
    };

    it(`GET /sql?query=SELECT 1 moves nestjs_db_execute_total{alias="default",vendor="${variant.vendor}"} by exactly the queries made`, { skip }, async () => {
      const series = `nestjs_db_execute_total{alias="default",vendor="${variant.vendor}"}`;
      const before = sampleValue(await metrics(), series);
      assert.notEqual(before, undefined, `${series} is exposed from start-up`);
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${sample!.url}/sql?query=${encodeURIComponent('SELECT 1')}`);
        assert.equal(res.status, 200);
      }
      const exposition = await metrics();
      assert.equal(sampleValue(exposition, series), before! + 5);
      assert.ok((sampleValue(exposition, `nestjs_db_new_connections_total{alias="default",vendor="${variant.vendor}"}`) ?? 0) >= 1);
      for (const other of ['postgresql', 'mysql', 'sqlite'].filter((v) => v !== variant.vendor)) {
        assert.ok(!exposition.includes(`vendor="${other}"`), `no ${other} series`);
      }
    });

    it('an SQL error answers 500 and counts one error of its DB-API class; the exposition passes the lint', { skip }, async (t) => {
      const type = variant.vendor === 'sqlite' ? 'OperationalError' : 'ProgrammingError';
      const series = `nestjs_db_errors_total{alias="default",vendor="${variant.vendor}",type="${type}"}`;
      const before = sampleValue(await metrics(), series) ?? 0;
      const res = await fetch(`${sample!.url}/sql?query=${encodeURIComponent('SELEC 1')}`);
      assert.equal(res.status, 500);
      const exposition = await metrics();
      assert.equal(sampleValue(exposition, series), before + 1);
      const lint = await promlint(exposition, t);
      assert.equal(lint.code, 0, lint.output);
    });
  });
}

// Database instrumentation overhead: `npm run build:all && node build/bench/database/db-bench.js [--rounds=5]`.
// pg Pool and TypeORM (PostgreSQL, 10,000 sequential `SELECT 1` per round) and better-sqlite3 in
// process (ns added per statement), each instrumented vs not, in interleaved rounds in one process.
// Prints a markdown section; nothing is asserted.
import Database from 'better-sqlite3';
import pg from 'pg';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { instrumentBetterSqlite3, instrumentDataSource, instrumentPg } from 'nest-prometheus';

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 5);
const STATEMENTS = 10_000;
const SQLITE_STATEMENTS = 200_000;
const URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Variant {
  readonly name: string;
  /** Runs one round and returns its wall time in ms. */
  run(): Promise<number>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed(fn: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Plain and instrumented alternate round by round, the order flipped every round. */
async function interleave(plain: Variant, measured: Variant): Promise<{ plain: number[]; measured: number[] }> {
  const out = { plain: [] as number[], measured: [] as number[] };
  await plain.run(); // warm-up
  await measured.run();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [plain, measured] : [measured, plain];
    for (const variant of order) (variant === plain ? out.plain : out.measured).push(await variant.run());
  }
  return out;
}

function row(title: string, unit: string, result: { plain: number[]; measured: number[] }, per: number): string {
  const p = median(result.plain);
  const m = median(result.measured);
  const spread = (v: number[]) => `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}`;
  const perStatement = ((m - p) * 1e6) / per; // ms → ns per statement
  return `| ${title} | ${p.toFixed(0)} (${spread(result.plain)}) | ${m.toFixed(0)} (${spread(result.measured)}) | ${(m / p).toFixed(3)}× | ${perStatement >= 0 ? '+' : ''}${perStatement.toFixed(0)} ${unit} |`;
}

async function pgPool(): Promise<string> {
  const plain = new pg.Pool({ connectionString: URL, max: 1 });
  const measured = new pg.Pool({ connectionString: URL, max: 1 });
  instrumentPg(measured, { alias: 'bench', registry: new Registry() });
  const variant = (name: string, pool: pg.Pool): Variant => ({
    name,
    run: () =>
      timed(async () => {
        for (let i = 0; i < STATEMENTS; i++) await pool.query('SELECT 1');
      }),
  });
  try {
    return row(`pg Pool, ${STATEMENTS.toLocaleString('en')} × SELECT 1 (ms/round)`, 'ns', await interleave(variant('plain', plain), variant('measured', measured)), STATEMENTS);
  } finally {
    await plain.end();
    await measured.end();
  }
}

async function typeorm(): Promise<string> {
  const options = { type: 'postgres' as const, url: URL, poolSize: 1 };
  const plain = await new DataSource(options).initialize();
  const measured = await new DataSource(options).initialize();
  instrumentDataSource(measured, 'bench', { registry: new Registry() });
  const variant = (name: string, ds: DataSource): Variant => ({
    name,
    run: () =>
      timed(async () => {
        for (let i = 0; i < STATEMENTS; i++) await ds.query('SELECT 1');
      }),
  });
  try {
    return row(`TypeORM (postgres), ${STATEMENTS.toLocaleString('en')} × SELECT 1 (ms/round)`, 'ns', await interleave(variant('plain', plain), variant('measured', measured)), STATEMENTS);
  } finally {
    await plain.destroy();
    await measured.destroy();
  }
}

async function sqlite(): Promise<string> {
  const plain = new Database(':memory:');
  const measured = new Database(':memory:');
  instrumentBetterSqlite3(measured, { alias: 'bench', registry: new Registry() });
  const variant = (name: string, db: Database.Database): Variant => {
    const statement = db.prepare('SELECT 1');
    return {
      name,
      run: () =>
        timed(() => {
          for (let i = 0; i < SQLITE_STATEMENTS; i++) statement.get();
        }),
    };
  };
  return row(`better-sqlite3 in process, ${SQLITE_STATEMENTS.toLocaleString('en')} × get() (ms/round)`, 'ns', await interleave(variant('plain', plain), variant('measured', measured)), SQLITE_STATEMENTS);
}

const rows = [await pgPool(), await typeorm(), await sqlite()];
console.log(`## Database\n\n${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, ${ROUNDS} interleaved rounds (median, min–max), one connection per pool.\n`);
console.log('| workload | plain | instrumented | ratio | added per statement |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(r);

// Database instrumentation overhead: `npm run build:all && node build/bench/database/db-bench.js [--rounds=5]`.
// pg Pool and TypeORM (PostgreSQL, 10,000 sequential `SELECT 1` per round) and better-sqlite3 in
// process (ns added per statement), each instrumented vs not, in interleaved rounds in one process.
// Prints a markdown section; nothing is asserted.
import Database from 'better-sqlite3';
import pg from 'pg';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { instrumentBetterSqlite3, instrumentDataSource, instrumentPg } from 'nest-prometheus';

const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice('--rounds='.length) ?? 15);
const STATEMENTS = Number(process.argv.find((a) => a.startsWith('--statements='))?.slice('--statements='.length) ?? 10_000);
const SQLITE_STATEMENTS = 200_000;
const URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Round {
  /** Wall time, ms. */
  readonly wall: number;
  /** This process's CPU time (user + system), ms: what the instrumentation adds, without the waits. */
  readonly cpu: number;
}

interface Variant {
  readonly name: string;
  run(): Promise<Round>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function timed(fn: () => Promise<void> | void): Promise<Round> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await fn();
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1e3 };
}

/** Plain and instrumented alternate round by round, the order flipped every round. */
interface Rounds {
  readonly plain: Round[];
  readonly measured: Round[];
}

async function interleave(plain: Variant, measured: Variant): Promise<Rounds> {
  const out: Rounds = { plain: [], measured: [] };
  await plain.run(); // warm-up
  await measured.run();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? [plain, measured] : [measured, plain];
    for (const variant of order) (variant === plain ? out.plain : out.measured).push(await variant.run());
  }
  return out;
}

/** Median and quartiles of the per-pair ratios (each instrumented round against the plain round next to it). */
function pairRatios(result: Rounds, key: keyof Round): { median: number; q1: number; q3: number } {
  const ratios = result.plain.map((p, i) => result.measured[i]![key] / p[key]).sort((a, b) => a - b);
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.round(q * (ratios.length - 1)))]!;
  return { median: median(ratios), q1: at(0.25), q3: at(0.75) };
}

function row(title: string, result: Rounds, per: number): string {
  const med = (rounds: Round[], key: keyof Round) => median(rounds.map((r) => r[key]));
  const fmt = (r: { median: number; q1: number; q3: number }) => `${r.median.toFixed(3)}× (${r.q1.toFixed(3)}–${r.q3.toFixed(3)})`;
  const cpuPlain = med(result.plain, 'cpu');
  const cpuRatio = pairRatios(result, 'cpu');
  const addedNs = ((cpuRatio.median - 1) * cpuPlain * 1e6) / per;
  return `| ${title} | ${(med(result.plain, 'wall') * 1e6 / per / 1e3).toFixed(1)} µs | ${fmt(pairRatios(result, 'wall'))} | ${fmt(cpuRatio)} | ${addedNs >= 0 ? '+' : ''}${addedNs.toFixed(0)} ns |`;
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
    return row(`pg Pool, ${STATEMENTS.toLocaleString('en')} × SELECT 1`, await interleave(variant('plain', plain), variant('measured', measured)), STATEMENTS);
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
    return row(`TypeORM (postgres), ${STATEMENTS.toLocaleString('en')} × SELECT 1`, await interleave(variant('plain', plain), variant('measured', measured)), STATEMENTS);
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
  return row(`better-sqlite3 in process, ${SQLITE_STATEMENTS.toLocaleString('en')} × get()`, await interleave(variant('plain', plain), variant('measured', measured)), SQLITE_STATEMENTS);
}

const rows = [await pgPool(), await typeorm(), await sqlite()];
console.log(`## Database\n\n${new Date().toISOString().slice(0, 16)} UTC, Node ${process.version}, ${ROUNDS} interleaved rounds, one connection per pool; ratios are medians of per-pair ratios, IQR in brackets.\n`);
console.log('| workload | plain, wall per statement | instrumented/plain wall, median of pairs (IQR) | instrumented/plain CPU of this process (IQR) | CPU added per statement |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) console.log(r);

// The multi-process aggregate scrape: `node build/bench/multiprocess/aggregate-scrape.js
// [--processes=4] [--series=12500] [--iterations=5]` (after `npm run build:all`). Prints a markdown
// table. Four process snapshots, each one histogram with 12,500 series (view × method, 17 buckets),
// written to a multiprocessDir as the package writes them; a 1 ms interval timer measures the longest
// event-loop block of each stage and of the whole scrape, the old path (`registry.metrics()` of the
// aggregate) against the package's (`renderRegistry`), in alternating iterations.
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderRegistry } from 'nest-prometheus';
import { AggregatorRegistry, Registry } from 'prom-client';
import { seedHistogramSeries } from '../server/seed-series.js';
import { table } from '../support/markdown.js';
import { fixed } from '../support/stats.js';
import { spread } from '../support/quartiles.js';

type Snapshot = { version: 1; pid: number; hostname: string; writtenAt: number; exited: boolean; metrics: unknown[] };
interface DirectoryLike {
  write(snapshot: Snapshot): Promise<void>;
  read(): Promise<{ inputs: { snapshot: Snapshot; gone: boolean }[]; skipped: number }>;
}
interface Internals {
  MultiprocessDirectory: new (dir: string, logger: { warn(message: string): void }) => DirectoryLike;
  aggregateSnapshots: (inputs: { snapshot: Snapshot; gone: boolean }[], contentType?: string) => Promise<Registry>;
  validateSnapshot: (value: unknown) => { ok: boolean };
  validateSnapshotSliced: (value: unknown) => Promise<{ ok: boolean }>;
  directorySource: (dir: string, contentType: string | undefined, namespace: string, logger: { warn(message: string): void }) => () => Promise<{ body: string }>;
}

function argument(name: string, fallback: number): number {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return value === undefined ? fallback : Number(value.split('=')[1]);
}

async function dist<T>(path: string): Promise<T> {
  return (await import(new URL(`../../../dist/${path}`, import.meta.url).href)) as T;
}

/** Runs `job` while a 1 ms interval timer measures the longest gap between its ticks. */
async function timed<T>(job: () => Promise<T> | T): Promise<{ value: T; ms: number; blockMs: number }> {
  let last = performance.now();
  let longest = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const start = performance.now();
  last = start;
  const value = await job();
  const ms = performance.now() - start;
  longest = Math.max(longest, performance.now() - last);
  clearInterval(probe);
  return { value, ms, blockMs: longest };
}

async function main(): Promise<void> {
  const processes = argument('processes', 4);
  const series = argument('series', 12_500);
  const iterations = argument('iterations', 5);
  const internals: Internals = {
    ...(await dist<Pick<Internals, 'MultiprocessDirectory'>>('multiprocess/multiprocess-directory.js')),
    ...(await dist<Pick<Internals, 'aggregateSnapshots'>>('multiprocess/aggregate-snapshots.js')),
    ...(await dist<Pick<Internals, 'validateSnapshot' | 'validateSnapshotSliced'>>('multiprocess/validate-snapshot.js')),
    ...(await dist<Pick<Internals, 'directorySource'>>('multiprocess/directory-source.js')),
  };
  const logger = { warn: (message: string) => process.stderr.write(`${message}\n`) };
  const dir = mkdtempSync(join(tmpdir(), 'np-aggregate-'));
  try {
    const texts: string[] = [];
    for (let p = 0; p < processes; p++) {
      const registry = new Registry();
      seedHistogramSeries(registry, series);
      const snapshot: Snapshot = { version: 1, pid: 100_000 + p, hostname: hostname(), writtenAt: Date.now(), exited: false, metrics: await registry.getMetricsAsJSON() };
      await new internals.MultiprocessDirectory(dir, logger).write(snapshot);
      texts.push(JSON.stringify(snapshot));
    }
    const reader = new internals.MultiprocessDirectory(dir, logger);
    const source = internals.directorySource(dir, undefined, 'bench', logger);
    const stages: Record<string, { ms: number[]; block: number[] }> = {};
    const note = (name: string, r: { ms: number; blockMs: number }) => {
      const s = (stages[name] ??= { ms: [], block: [] });
      s.ms.push(r.ms);
      s.block.push(r.blockMs);
    };
    let bytes = 0;
    let skipped = 0;
    let identical = true;
    for (let i = 0; i < iterations; i++) {
      const parsed = await timed(() => JSON.parse(texts[0] as string) as unknown);
      note('JSON.parse of one process snapshot (file read, or a cluster worker\'s IPC answer)', parsed);
      const objects = texts.map((t) => JSON.parse(t) as unknown);
      note(`validateSnapshot of ${processes} parsed snapshots, in one piece`, await timed(() => objects.map((o) => internals.validateSnapshot(o))));
      note(`validateSnapshotSliced of ${processes} parsed snapshots (cluster primary, now)`, await timed(async () => { for (const o of objects) await internals.validateSnapshotSliced(o); }));
      const read = await timed(() => reader.read());
      note(`read ${processes} files of multiprocessDir (parse + validate)`, read);
      skipped += read.value.skipped;
      note(`prom-client AggregatorRegistry.aggregate of ${processes} (before)`, await timed(() => AggregatorRegistry.aggregate(read.value.inputs.map((i) => i.snapshot.metrics) as never)));
      const aggregate = await timed(() => internals.aggregateSnapshots(read.value.inputs));
      note(`aggregateSnapshots of ${processes}, sliced (now)`, aggregate);
      const old = await timed(() => aggregate.value.metrics());
      note('render: `registry.metrics()` of the aggregate (before)', old);
      const sliced = await timed(() => renderRegistry(aggregate.value));
      note('render: `renderRegistry()` of the aggregate (now)', sliced);
      identical &&= old.value === sliced.value && old.value === (await AggregatorRegistry.aggregate(read.value.inputs.map((i) => i.snapshot.metrics) as never).metrics());
      bytes = sliced.value.length;
      note('**whole scrape before**: read + aggregate + `registry.metrics()`', await timed(async () => AggregatorRegistry.aggregate((await reader.read()).inputs.map((i) => i.snapshot.metrics) as never).metrics()));
      note('**whole scrape now**: `directorySource()` (read + aggregate + `renderRegistry()`)', await timed(() => source()));
    }
    const rows = Object.entries(stages).map(([name, s]) => {
      const ms = spread(s.ms);
      const block = spread(s.block);
      return [name, fixed(ms.median, 1), fixed(block.median, 1), fixed(Math.max(...s.block), 1)];
    });
    process.stdout.write(
      [
        `${processes} processes × ${series.toLocaleString('en-US')} histogram series (17 buckets), ${iterations} iterations, medians; ${skipped === 0 ? 'every file read within the scrape budget' : `**${skipped} file reads missed the scrape's read budget (the aggregate is partial; the machine was too busy)**`}; exposition ${bytes.toLocaleString('en-US')} bytes, sliced aggregate + renderRegistry identical to prom-client's aggregate + registry.metrics(): ${identical ? 'yes' : 'NO'}. Node.js ${process.version}.`,
        '',
        table(['stage', 'wall ms', 'longest block ms (median)', 'longest block ms (worst)'], rows, ['l', 'r', 'r', 'r']),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});

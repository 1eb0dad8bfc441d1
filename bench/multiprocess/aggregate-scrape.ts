// The multi-process aggregate scrape: `node build/bench/multiprocess/aggregate-scrape.js
// [--processes=4] [--series=12500] [--iterations=5]` (after `npm run build:all`). Prints a markdown
// table. Four process snapshots, each one histogram with 12,500 series (view × method, 17 buckets),
// written to a multiprocessDir as the package writes them (format 2), and the same snapshots in
// format 1 (what earlier versions wrote, prom-client's JSON form) in a second directory; a 1 ms
// interval timer measures the longest event-loop block of each stage, of the whole scrape, of the
// writer, and of a cluster primary collecting from as many workers over IPC. "Before" stages are the format-1 path (one JSON.parse per file, prom-client's aggregate and
// `registry.metrics()`); "now" stages are what the package does. "Over HTTP" stages time a whole
// scrape served to a client in a child process (bench/multiprocess/download-client.ts): the
// module's /metrics controller on Express and on Fastify (an app with `multiprocessDir` on a copy
// of the files), the standalone port serving the directory, and the cluster primary's port, both
// in this process and in a primary of its own that does nothing else (`--thin-primary`, a child).
import { fork, type ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  answerClusterMetricsRequests,
  collectClusterMetrics,
  MetricsExpositionService,
  PrometheusModule,
  renderRegistry,
  renderRegistryChunks,
  setupClusterPrimaryMetrics,
  setupPrometheusExportsFromConfig,
} from 'nest-prometheus';
import { AggregatorRegistry, Registry } from 'prom-client';
import { seedHistogramSeries } from '../server/seed-series.js';
import { table } from '../support/markdown.js';
import { fixed } from '../support/stats.js';
import { spread } from '../support/quartiles.js';

interface Snapshot {
  version: 1 | 2;
  pid: number;
  hostname: string;
  writtenAt: number;
  exited: boolean;
  metrics: { name: string; values: unknown[] }[];
}
type Input = { snapshot: Snapshot; gone: boolean };
interface DirectoryLike {
  write(snapshot: Snapshot): Promise<void>;
  read(): Promise<{ inputs: Input[]; skipped: number }>;
}
interface Internals {
  MultiprocessDirectory: new (dir: string, logger: { warn(message: string): void }) => DirectoryLike;
  aggregateSnapshots: (inputs: Input[], contentType?: string) => Promise<Registry>;
  snapshotRegistry: (registry: Registry) => Promise<Snapshot>;
  parseSnapshotV2: (text: string) => Promise<{ ok: boolean; snapshot?: Snapshot }>;
  /** Absent before the merge as parsed (the row then parses as the primary did). */
  checkSnapshotV2?: (text: string) => Promise<{ ok: boolean; snapshot?: Snapshot }>;
  snapshotV2Records: (snapshot: Snapshot) => Promise<string[]>;
  joinRecords: (records: string[]) => string;
  directorySource: (dir: string, contentType: string | undefined, namespace: string, logger: { warn(message: string): void }) => () => Promise<{ chunks: AsyncIterable<string> }>;
}

/** What the download client reports. */
interface Download {
  readonly status?: number;
  readonly bytes?: number;
  readonly sha256?: string;
  readonly chunked?: boolean;
  readonly error?: string;
}

/** The download client in a child process: `get(url)` resolves once it has the whole body. */
async function downloadClient(): Promise<{ get: (url: string) => Promise<Download>; close: () => void }> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./download-client.js', import.meta.url)));
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return {
    get: (url) =>
      new Promise((resolve) => {
        child.once('message', (message: Download) => resolve(message));
        child.send({ url });
      }),
    close: () => child.disconnect(),
  };
}

/** One timed scrape of the thin primary, as it reports it to the bench. */
interface ThinScrape {
  readonly ms: number;
  readonly blockMs: number;
  readonly innerMs: number;
  readonly cpuMs: number;
  readonly ok: boolean;
}

/** Runs `thinPrimary()` in a child process of its own and returns its timed scrapes. */
async function thinPrimaryScrapes(processes: number, series: number, iterations: number): Promise<ThinScrape[]> {
  const child = fork(fileURLToPath(import.meta.url), ['--thin-primary'], {
    env: { ...process.env, BENCH_PROCESSES: String(processes), BENCH_SERIES: String(series), BENCH_ITERATIONS: String(iterations) },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const scrapes = await new Promise<ThinScrape[]>((resolve, reject) => {
    child.once('message', (message: { scrapes?: ThinScrape[]; error?: string }) => (message.scrapes ? resolve(message.scrapes) : reject(new Error(`thin primary: ${message.error}`))));
    child.once('exit', (code) => reject(new Error(`thin primary exited (${code}) before reporting`)));
  });
  await exited;
  return scrapes;
}

/**
 * The thin primary: forks the workers, serves `setupClusterPrimaryMetrics()` on a port, times
 * each scrape of it from its own download client, reports the timings to its parent and exits.
 */
async function thinPrimary(): Promise<void> {
  const processes = Number(process.env.BENCH_PROCESSES);
  const iterations = Number(process.env.BENCH_ITERATIONS);
  const workers: Worker[] = [];
  const client = await downloadClient();
  try {
    let ready = 0;
    const allReady = new Promise<void>((resolve) => {
      cluster.on('message', (_worker, message: { event?: string }) => {
        if (message.event === 'ready' && ++ready === processes) resolve();
      });
    });
    for (let p = 0; p < processes; p++) workers.push(cluster.fork({ BENCH_SERIES: process.env.BENCH_SERIES }));
    await allReady;
    const primary = await setupClusterPrimaryMetrics({ timeoutMs: 30_000, export: { port: await freePort(), address: '127.0.0.1' }, logger: { log: () => undefined, warn: () => undefined } });
    if (primary === null) throw new Error('the cluster primary port did not start');
    const scrapes: ThinScrape[] = [];
    for (let i = 0; i < iterations; i++) {
      const served = await timed(() => client.get(`http://127.0.0.1:${primary.port}/metrics`));
      scrapes.push({ ms: served.ms, blockMs: served.blockMs, innerMs: served.innerMs, cpuMs: served.cpuMs, ok: served.value.status === 200 && served.value.chunked === true });
    }
    await primary.close();
    process.send?.({ scrapes });
  } catch (error) {
    process.send?.({ error: (error as Error).stack ?? String(error) });
  } finally {
    for (const worker of workers) worker.kill();
    client.close();
  }
  process.disconnect();
}

/** A Nest app whose /metrics controller serves the aggregate of `dir` (its own, empty registry included). */
async function controllerApp(dir: string, adapter: 'express' | 'fastify'): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), defaultMetrics: false, multiprocessDir: dir })] })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}/metrics` };
}

/** A port free on loopback now (the exporter options take no port 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function argument(name: string, fallback: number): number {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return value === undefined ? fallback : Number(value.split('=')[1]);
}

async function dist<T>(path: string): Promise<T> {
  return (await import(new URL(`../../../dist/${path}`, import.meta.url).href)) as T;
}

/**
 * Runs `job` while a 1 ms interval timer measures the longest gap between its ticks (`blockMs`),
 * and the longest before the job's last stretch (`innerMs`: for a scrape, everything but the final
 * assembly of the exposition string, which runs after the last yield). `cpuMs` is the CPU time the
 * process used during the longest gap (`process.cpuUsage()`, every thread, the GC's helpers
 * included): close to `blockMs` when the process was working all along, well below it when the
 * operating system gave its core to other processes for part of the gap.
 */
async function timed<T>(job: () => Promise<T> | T): Promise<{ value: T; ms: number; blockMs: number; innerMs: number; cpuMs: number }> {
  const cpuNow = (): number => {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let last = performance.now();
  let lastCpu = cpuNow();
  let longest = 0;
  let longestCpu = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    const cpu = cpuNow();
    if (now - last > longest) {
      longest = now - last;
      longestCpu = cpu - lastCpu;
    }
    last = now;
    lastCpu = cpu;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const start = performance.now();
  last = start;
  lastCpu = cpuNow();
  longest = 0;
  longestCpu = 0;
  const value = await job();
  const end = performance.now();
  const ms = end - start;
  const inner = longest;
  if (end - last > longest) {
    longest = end - last;
    longestCpu = cpuNow() - lastCpu;
  }
  clearInterval(probe);
  return { value, ms, blockMs: longest, innerMs: inner, cpuMs: longestCpu };
}

/** The first file of `dir`, as text (outside any timing). */
function firstFile(dir: string): string {
  return readFileSync(join(dir, readdirSync(dir).filter((n) => n.endsWith('.json')).sort()[0] as string), 'utf8');
}

async function main(): Promise<void> {
  const processes = argument('processes', 4);
  const series = argument('series', 12_500);
  const iterations = argument('iterations', 5);
  const internals: Internals = {
    ...(await dist<Pick<Internals, 'MultiprocessDirectory'>>('multiprocess/multiprocess-directory.js')),
    ...(await dist<Pick<Internals, 'aggregateSnapshots'>>('multiprocess/aggregate-snapshots.js')),
    ...(await dist<Pick<Internals, 'snapshotRegistry'>>('multiprocess/snapshot-registry.js')),
    ...(await dist<Pick<Internals, 'parseSnapshotV2' | 'checkSnapshotV2' | 'snapshotV2Records' | 'joinRecords'>>('multiprocess/snapshot-v2.js')),
    ...(await dist<Pick<Internals, 'directorySource'>>('multiprocess/directory-source.js')),
  };
  const logger = { warn: (message: string) => process.stderr.write(`${message}\n`) };
  const dir = mkdtempSync(join(tmpdir(), 'np-aggregate-'));
  const dirV1 = mkdtempSync(join(tmpdir(), 'np-aggregate-v1-'));
  const dirWriter = mkdtempSync(join(tmpdir(), 'np-aggregate-writer-'));
  try {
    // One registry stays alive for the writer stages; the files of the others are written once.
    let writerRegistry = new Registry();
    let v2Bytes = 0;
    let v1Bytes = 0;
    for (let p = 0; p < processes; p++) {
      const registry = new Registry();
      seedHistogramSeries(registry, series);
      if (p === 0) writerRegistry = registry;
      const v2 = { ...(await internals.snapshotRegistry(registry)), pid: 100_000 + p };
      await new internals.MultiprocessDirectory(dir, logger).write(v2);
      const v1 = { version: 1, pid: 100_000 + p, hostname: hostname(), writtenAt: Date.now(), exited: false, metrics: await registry.getMetricsAsJSON() };
      const v1Text = JSON.stringify(v1);
      writeFileSync(join(dirV1, `v1-${p}.json`), v1Text);
      v2Bytes += internals.joinRecords(await internals.snapshotV2Records(v2)).length;
      v1Bytes += v1Text.length;
    }
    const writer = new internals.MultiprocessDirectory(dirWriter, logger);
    const reader = new internals.MultiprocessDirectory(dir, logger);
    const readerV1 = new internals.MultiprocessDirectory(dirV1, logger);
    const source = internals.directorySource(dir, undefined, 'bench', logger);
    const sourceV1 = internals.directorySource(dirV1, undefined, 'bench', logger);
    const stages: Record<string, { ms: number[]; block: number[]; inner: number[]; cpu: number[] }> = {};
    const note = (name: string, r: { ms: number; blockMs: number; innerMs: number; cpuMs: number }) => {
      const s = (stages[name] ??= { ms: [], block: [], inner: [], cpu: [] });
      s.ms.push(r.ms);
      s.block.push(r.blockMs);
      s.inner.push(r.innerMs);
      s.cpu.push(r.cpuMs);
    };
    let bytes = 0;
    let skipped = 0;
    let skippedV1 = 0;
    let identical = true;
    // All iterations of the package's path first, then those of the format-1 path: the second
    // leaves a heap of millions of objects whose collection would otherwise land in the first.
    let lastBody = '';
    // The HTTP stages: one download client (another process), two apps on a copy of the files (each
    // adds its own file there), and the standalone port on the directory itself.
    const client = await downloadClient();
    const dirHttp = mkdtempSync(join(tmpdir(), 'np-aggregate-http-'));
    for (const name of readdirSync(dir)) copyFileSync(join(dir, name), join(dirHttp, name));
    const apps: Array<[string, { app: INestApplication; url: string }]> = [
      ['Express', await controllerApp(dirHttp, 'express')],
      ['Fastify', await controllerApp(dirHttp, 'fastify')],
    ];
    const portServer = await setupPrometheusExportsFromConfig(
      { multiprocessDir: dir, namespace: 'bench', export: { port: await freePort(), address: '127.0.0.1' } },
      { logger: { log: () => undefined, warn: (message: string) => process.stderr.write(`${message}\n`) } },
    );
    if (portServer === null) throw new Error('the standalone port did not start');
    const portUrl = `http://127.0.0.1:${portServer.port}/metrics`;
    let httpOk = true;
    let httpBytes = 0;
    for (let i = 0; i < iterations; i++) {
      note('writer now: `snapshotRegistry()` + `write()` of one process (format 2, sliced)', await timed(async () => writer.write(await internals.snapshotRegistry(writerRegistry))));
      const v2Text = firstFile(dir);
      note('parse + validate one process file (format 2, `parseSnapshotV2`, sliced)', await timed(() => internals.parseSnapshotV2(v2Text)));
      const read = await timed(() => reader.read());
      note(`read ${processes} files of multiprocessDir (format 2)`, read);
      skipped += read.value.skipped;
      const aggregate = await timed(() => internals.aggregateSnapshots(read.value.inputs));
      note(`aggregateSnapshots of ${processes} (compact histograms, sliced)`, aggregate);
      const sliced = await timed(() => renderRegistry(aggregate.value));
      note('render: `renderRegistry()` of the aggregate', sliced);
      note(
        'render in chunks: `renderRegistryChunks()` of the aggregate (every chunk taken, none joined)',
        await timed(async () => {
          let count = 0;
          for await (const chunk of renderRegistryChunks(aggregate.value)) count += chunk.length;
          return count;
        }),
      );
      const pieces: string[] = [];
      for (let at = 0; at < sliced.value.length; at += 65_536) pieces.push(sliced.value.slice(at, at + 65_536));
      note('of which the last step: one `join` of the rendered chunks into the exposition string', await timed(() => pieces.join('')));
      const whole = await timed(async () => {
        const chunks: string[] = [];
        for await (const chunk of (await source()).chunks) chunks.push(chunk);
        return chunks;
      });
      note('**whole scrape now**: `directorySource()` on format-2 files (read + aggregate + render in chunks; not sent, not joined)', whole);
      const texts = readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => readFileSync(join(dir, n), 'utf8'));
      note(
        `cluster primary now: parse ${processes} answers (format-2 text, no IPC) + aggregate + render`,
        await timed(async () => {
          const inputs: Input[] = [];
          // As collectClusterMetrics does: each answer checked (its outline kept, not its series),
          // then parsed again as the merge folds it.
          for (const text of texts) {
            const checked = await (internals.checkSnapshotV2 ?? internals.parseSnapshotV2)(text);
            if (checked.ok) inputs.push({ snapshot: checked.snapshot as Snapshot, gone: false });
          }
          return renderRegistry(await internals.aggregateSnapshots(inputs));
        }),
      );
      bytes = sliced.value.length;
      lastBody = whole.value.join('');
      // Over HTTP: the whole scrape, from the request to the last byte the client receives.
      const viaPort = await timed(() => client.get(portUrl));
      note('**over HTTP, standalone port**: `setupPrometheusExportsFromConfig({ multiprocessDir })` (read + aggregate + render + send, streamed)', viaPort);
      if (!(viaPort.value.status === 200 && viaPort.value.chunked === true && viaPort.value.sha256 === sha256(lastBody))) {
        httpOk = false;
        process.stderr.write(`port: ${JSON.stringify(viaPort.value)} vs ${lastBody.length}\n`);
      }
      for (const [name, app] of apps) {
        const viaController = await timed(() => client.get(app.url));
        note(`**over HTTP, module controller (${name})**: \`GET /metrics\` of an app with \`multiprocessDir\` (snapshot of its own registry + read + aggregate + render + send, streamed)`, viaController);
        const expected = (await app.app.get(MetricsExpositionService).render()).body;
        if (!(viaController.value.status === 200 && viaController.value.chunked === true && viaController.value.sha256 === sha256(expected))) {
          httpOk = false;
          process.stderr.write(`${name}: ${JSON.stringify(viaController.value)} vs ${expected.length}\n`);
        }
        httpBytes = viaController.value.bytes ?? 0;
      }
      identical &&= sliced.value === lastBody.slice(0, sliced.value.length - 1) + '\n';
    }
    for (const [, app] of apps) await app.app.close();
    await portServer.close();
    rmSync(dirHttp, { recursive: true, force: true });
    for (let i = 0; i < iterations; i++) {
      // Before: format 1 and prom-client.
      const v1Writer = await timed(async () => JSON.stringify({ version: 1, metrics: await writerRegistry.getMetricsAsJSON() }));
      note('writer before: `getMetricsAsJSON()` + `JSON.stringify` of one process (format 1)', v1Writer);
      const v1Text = firstFile(dirV1);
      note('JSON.parse of one process file (format 1, one piece)', await timed(() => JSON.parse(v1Text) as unknown));
      const readV1 = await timed(() => readerV1.read());
      note(`read ${processes} files of multiprocessDir (format 1: parse + validate)`, readV1);
      skippedV1 += readV1.value.skipped;
      // The reference, from every format-1 file (the reader above may miss its budget on a busy machine).
      const parsedV1 = readdirSync(dirV1).sort().map((n) => (JSON.parse(readFileSync(join(dirV1, n), 'utf8')) as Snapshot).metrics);
      const reference = await timed(() => AggregatorRegistry.aggregate(parsedV1 as never));
      note(`prom-client AggregatorRegistry.aggregate of ${processes} (before)`, reference);
      const old = await timed(() => reference.value.metrics());
      note('render: `registry.metrics()` of prom-client\'s aggregate (before)', old);
      identical &&= lastBody.startsWith(`${old.value.slice(0, -1)}\n\n# HELP bench_nestjs_multiprocess_skipped_files`);
      note(
        '**whole scrape, format-1 files**: `directorySource()` (read + aggregate + render in chunks, not sent)',
        await timed(async () => {
          let count = 0;
          for await (const chunk of (await sourceV1()).chunks) count += chunk.length;
          return count;
        }),
      );
    }
    // The cluster primary's real collection: as many workers as processes, each with the same
    // series, answering over the IPC channel (format-2 text in parts).
    let missing = 0;
    const workers: Worker[] = [];
    try {
      let ready = 0;
      const allReady = new Promise<void>((resolve) => {
        cluster.on('message', (_worker, message: { event?: string }) => {
          if (message.event === 'ready' && ++ready === processes) resolve();
        });
      });
      for (let p = 0; p < processes; p++) workers.push(cluster.fork({ BENCH_SERIES: String(series) }));
      await allReady;
      for (let i = 0; i < iterations; i++) {
        const collected = await timed(async () => {
          const result = await collectClusterMetrics({ timeoutMs: 30_000 });
          missing += result.missing;
          return renderRegistry(result.registry);
        });
        note(`**cluster primary now**: \`collectClusterMetrics()\` from ${processes} workers over IPC + \`renderRegistry()\``, collected);
      }
      const primary = await setupClusterPrimaryMetrics({ timeoutMs: 30_000, export: { port: await freePort(), address: '127.0.0.1' }, logger: { log: () => undefined, warn: () => undefined } });
      if (primary === null) throw new Error('the cluster primary port did not start');
      for (let i = 0; i < iterations; i++) {
        const served = await timed(() => client.get(`http://127.0.0.1:${primary.port}/metrics`));
        note(`**over HTTP, cluster primary's port**: \`setupClusterPrimaryMetrics()\`, ${processes} workers over IPC + render + send, streamed`, served);
        if (!(served.value.status === 200 && served.value.chunked === true)) {
          httpOk = false;
          process.stderr.write(`primary: ${JSON.stringify(served.value)}\n`);
        }
      }
      await primary.close();
    } finally {
      for (const worker of workers) worker.kill();
      client.close();
    }
    // The same port in a primary that does nothing else, as a deployed one: this process carries
    // every earlier stage's heap (apps, registries, the format-1 data), which a primary does not.
    for (const served of await thinPrimaryScrapes(processes, series, iterations)) {
      note(`**over HTTP, cluster primary's port, primary alone**: the same in a process that only forks the ${processes} workers and serves the port`, served);
      if (!served.ok) httpOk = false;
    }
    // What any 22.7 MB string costs here before a byte is copied: the first touch of fresh memory.
    const touch: number[] = [];
    for (let i = 0; i < 3; i++) {
      const fresh = Buffer.allocUnsafeSlow(bytes);
      const start = performance.now();
      fresh.fill(1);
      touch.push(performance.now() - start);
    }
    const rows = Object.entries(stages).map(([name, s]) => {
      const ms = spread(s.ms);
      const block = spread(s.block);
      return [name, fixed(ms.median, 1), fixed(block.median, 1), fixed(Math.max(...s.block), 1), fixed(spread(s.inner).median, 1), fixed(spread(s.cpu).median, 1)];
    });
    process.stdout.write(
      [
        `${processes} processes × ${series.toLocaleString('en-US')} histogram series (17 buckets), ${iterations} iterations, medians; format-2 files: ${skipped === 0 ? 'every file read within the scrape budget' : `**${skipped} file reads missed the scrape's read budget (the aggregate is partial; the machine was too busy)**`}, format-1 files: ${skippedV1 === 0 ? 'every file read within the budget' : `${skippedV1} file reads missed the budget`}; files: format 2 ${(v2Bytes / processes / 1e6).toFixed(2)} MB, format 1 ${(v1Bytes / processes / 1e6).toFixed(2)} MB per process; exposition ${bytes.toLocaleString('en-US')} bytes, the package's aggregate (format 2, compact merge, renderRegistry) identical to prom-client's AggregatorRegistry.aggregate + registry.metrics() of the format-1 files: ${identical ? 'yes' : 'NO'}; cluster workers missing from a collection: ${missing}; over HTTP: every body streamed (chunked) and identical to the same source rendered as one string: ${httpOk ? 'yes' : '**NO**'} (${httpBytes.toLocaleString('en-US')} bytes from the controller). Node.js ${process.version}; load average before the run: ${LOAD}, after: ${loadAverage()}; first touch of ${(bytes / 1e6).toFixed(1)} MB of fresh memory (\`Buffer.allocUnsafeSlow(n).fill(1)\`, median of 3): ${fixed(spread(touch).median, 1)} ms.`,
        '',
        table(
          ['stage', 'wall ms', 'longest block ms (median)', 'longest block ms (worst)', 'longest block before the last stretch ms (median)', 'CPU of the process during the longest block ms (median)'],
          rows,
          ['l', 'r', 'r', 'r', 'r', 'r'],
        ),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dirV1, { recursive: true, force: true });
    rmSync(dirWriter, { recursive: true, force: true });
  }
}

function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'unknown';
  }
}
const LOAD = loadAverage();

/** A cluster worker of the last stage: one registry of `BENCH_SERIES` series, answering its primary. */
function worker(): void {
  const registry = new Registry();
  seedHistogramSeries(registry, Number(process.env.BENCH_SERIES));
  answerClusterMetricsRequests(registry);
  process.send?.({ event: 'ready' });
}

if (cluster.isWorker) {
  worker();
} else if (process.argv.includes('--thin-primary')) {
  void thinPrimary();
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    // Servers, apps and children started before the failure would keep the process alive.
    process.exit(1);
  });
}

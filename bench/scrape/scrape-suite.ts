import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadRound, type RoundResult } from '../support/load.js';
import { table } from '../support/markdown.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fixed, median } from '../support/stats.js';
import { ITEM_PATH } from '../server/variants.js';
import type { RenderTiming } from './render-timing.js';

export interface ScrapeSuiteOptions {
  readonly sizes: readonly number[];
  readonly iterations: number;
  /** Series seeded into the server for the "does a scrape stall the app" test. */
  readonly stallSeries: number;
  readonly stallSeconds: number;
  /** Rounds of the three stall phases, interleaved and rotated like the HTTP rounds. */
  readonly stallRounds: number;
  readonly connections: number;
}

const TIMING_SCRIPT = fileURLToPath(new URL('./render-timing.js', import.meta.url));

async function renderTiming(series: number, iterations: number): Promise<RenderTiming> {
  const { stdout } = await promisify(execFile)(process.execPath, [TIMING_SCRIPT, `--series=${series}`, `--iterations=${iterations}`], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as RenderTiming;
}

interface ScrapeLog {
  readonly durationsMs: number[];
  bytes: number;
}

/** Scrapes `url` once a second (each scrape waits for the previous one) until `stop()` is called. */
function scrapeEverySecond(url: string): { log: ScrapeLog; stop: () => Promise<void> } {
  const log: ScrapeLog = { durationsMs: [], bytes: 0 };
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      const body = await (await fetch(url)).text();
      log.durationsMs.push(performance.now() - started);
      log.bytes = Buffer.byteLength(body);
      const wait = 1000 - (performance.now() - started);
      if (wait > 0 && !stopped) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    log,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

async function stallPhase(server: ServerProcess, scrapePath: string | undefined, options: ScrapeSuiteOptions): Promise<{ load: RoundResult; scrapes?: ScrapeLog }> {
  const scraper = scrapePath === undefined ? undefined : scrapeEverySecond(`${server.url}${scrapePath}`);
  const load = await loadRound(server, { path: ITEM_PATH, seconds: options.stallSeconds, connections: options.connections });
  await scraper?.stop();
  return { load, scrapes: scraper?.log };
}

/** Scrape cost in process (time, bytes, event-loop block) and, over HTTP, whether scrapes stall requests. */
export async function runScrapeSuite(options: ScrapeSuiteOptions, log: (line: string) => void): Promise<string> {
  const timings: RenderTiming[] = [];
  for (const series of options.sizes) {
    timings.push(await renderTiming(series, options.iterations));
    log(`scrape: rendered ${series} series`);
  }
  const timingTable = table(
    ['histogram series', 'bytes', '`registry.metrics()` ms', 'longest event-loop block ms', 'of which histogram `get()` ms', '`renderRegistry()` ms', 'longest block ms', 'speed-up', 'identical bytes'],
    timings.map((t) => [
      fixed(t.series),
      fixed(t.bytes),
      fixed(t.promClientMs, 1),
      fixed(t.promClientBlockMs, 1),
      fixed(t.histogramGetMs, 1),
      fixed(t.renderMs, 1),
      fixed(t.renderBlockMs, 1),
      `${fixed(t.promClientMs / t.renderMs, 1)}×`,
      t.identical ? 'yes' : '**NO**',
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
  );

  const server = await startServer({ variant: 'nest-prometheus', adapter: 'fastify', label: 'nest-prometheus/fastify (seeded)', env: { BENCH_SEED_SERIES: String(options.stallSeries) } });
  try {
    await loadRound(server, { path: ITEM_PATH, amount: 2000, connections: options.connections });
    const phases = [
      { name: 'no scrapes', path: undefined },
      { name: '`/metrics-prom-client` (prom-client `registry.metrics()`) once a second', path: '/metrics-prom-client' },
      { name: '`/metrics` (the package: `renderRegistry()`) once a second', path: '/metrics' },
    ];
    const results = phases.map(() => [] as { load: RoundResult; scrapes?: ScrapeLog }[]);
    for (let round = 0; round < options.stallRounds; round++) {
      for (let k = 0; k < phases.length; k++) {
        const index = (k + round) % phases.length;
        results[index]!.push(await stallPhase(server, phases[index]!.path, options));
      }
      log(`scrape: stall round ${round + 1}/${options.stallRounds} done`);
    }
    const rows = phases.map((phase, index) => {
      const runs = results[index]!;
      const durations = runs.flatMap((run) => run.scrapes?.durationsMs ?? []);
      const scraped = phase.path !== undefined;
      return [
        phase.name,
        fixed(median(runs.map((run) => run.load.reqPerSec))),
        fixed(median(runs.map((run) => run.load.p50Ms))),
        fixed(median(runs.map((run) => run.load.p99Ms))),
        fixed(Math.max(...runs.map((run) => run.load.maxMs))),
        scraped ? String(durations.length) : '–',
        scraped ? fixed(median(durations), 0) : '–',
        scraped ? fixed(Math.max(...durations), 0) : '–',
        scraped ? fixed(runs[runs.length - 1]!.scrapes!.bytes) : '–',
      ];
    });
    const stallTable = table(
      ['while the app serves GET /items/42 …', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'scrapes', 'median scrape ms', 'slowest scrape ms', 'scrape bytes'],
      rows,
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    );
    return [
      `In process (one histogram, view × method labels, 17 buckets; ${options.iterations} runs each, medians; "longest block" is the longest gap seen by a 1 ms interval timer while rendering):`,
      '',
      timingTable,
      '',
      `Over HTTP: nest-prometheus on Fastify with ${fixed(options.stallSeries)} seeded histogram series; ${options.connections} connections on GET /items/42 for ${options.stallSeconds} s per phase, ${options.stallRounds} interleaved rounds of the three phases (medians; max = the worst round), while the driver scrapes once a second; scrape time is measured by the driver (request to last byte):`,
      '',
      stallTable,
    ].join('\n');
  } finally {
    await server.stop();
  }
}

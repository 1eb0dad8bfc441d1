// In-process cost of rendering a registry with N histogram series:
// `node build/bench/scrape/render-timing.js --series=<n> --iterations=<k>`; prints one JSON line.
// Runs in its own process so every size starts from a fresh heap.
import { renderRegistry } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { seedHistogramSeries } from '../server/seed-series.js';
import { median } from '../support/stats.js';

export interface RenderTiming {
  readonly series: number;
  readonly bytes: number;
  readonly identical: boolean;
  /** Median wall time of `registry.metrics()`, ms. */
  readonly promClientMs: number;
  /** Longest time the event loop was blocked during `registry.metrics()`, ms (median over runs). */
  readonly promClientBlockMs: number;
  /** Of which: the histogram's own `get()` (building one object per sample), ms. */
  readonly histogramGetMs: number;
  readonly renderMs: number;
  readonly renderBlockMs: number;
}

function argument(name: string, fallback: number): number {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  return value === undefined ? fallback : Number(value.split('=')[1]);
}

/** Runs `job` while a 1 ms interval timer measures the longest gap between its ticks. */
async function timed(job: () => Promise<unknown>): Promise<{ ms: number; blockMs: number }> {
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
  await job();
  const ms = performance.now() - start;
  longest = Math.max(longest, performance.now() - last);
  clearInterval(probe);
  return { ms, blockMs: longest };
}

async function main(): Promise<void> {
  const series = argument('series', 1250);
  const iterations = argument('iterations', 5);
  const registry = new Registry();
  const histogram = seedHistogramSeries(registry, series);
  const expected = await registry.metrics();
  const rendered = await renderRegistry(registry);
  const prom: { ms: number; blockMs: number }[] = [];
  const fast: { ms: number; blockMs: number }[] = [];
  const gets: number[] = [];
  for (let i = 0; i < iterations; i++) {
    prom.push(await timed(() => registry.metrics()));
    fast.push(await timed(() => renderRegistry(registry)));
    const start = performance.now();
    await histogram.get();
    gets.push(performance.now() - start);
  }
  const result: RenderTiming = {
    series,
    bytes: Buffer.byteLength(expected),
    identical: rendered === expected,
    promClientMs: median(prom.map((t) => t.ms)),
    promClientBlockMs: median(prom.map((t) => t.blockMs)),
    histogramGetMs: median(gets),
    renderMs: median(fast.map((t) => t.ms)),
    renderBlockMs: median(fast.map((t) => t.blockMs)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();

// In-memory cache reads, instrumented vs not: nanoseconds that nest-prometheus adds per call.
// Run after `npm run build:all`: node build/bench/cache/cache-get.js [--quick]
// Two cache-manager caches on the default in-memory Keyv store, one instrumented; rounds interleave
// them (order alternating) so that drift and GC hit both alike. Reported: the median over rounds of
// the per-round difference in CPU time per call, and its spread (min–max of the rounds). Nothing is asserted.
import { createCache, type Cache } from 'cache-manager';
import { instrumentCacheManager } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { fixed, median, signed } from '../support/stats.js';

/** The `q` quantile (0–1) of `values`, linearly interpolated. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 7 : 21;
const CALLS = quick ? 50_000 : 200_000;

interface Scenario {
  readonly name: string;
  readonly run: (cache: Cache, calls: number) => Promise<void>;
  /** Measure the cache instrumented with the duration histogram on. */
  readonly timed?: boolean;
}

const SCENARIOS: ReadonlyArray<Scenario> = [
  { name: 'get, hit', run: async (cache, calls) => { for (let i = 0; i < calls; i++) await cache.get('present'); } },
  { name: 'get, hit, durationHistogram on', timed: true, run: async (cache, calls) => { for (let i = 0; i < calls; i++) await cache.get('present'); } },
  { name: 'get, miss', run: async (cache, calls) => { for (let i = 0; i < calls; i++) await cache.get('absent'); } },
  { name: 'wrap, hit', run: async (cache, calls) => { const load = async () => 1; for (let i = 0; i < calls; i++) await cache.wrap('wrapped', load); } },
  { name: 'mget, 3 keys', run: async (cache, calls) => { const keys = ['present', 'absent', 'wrapped']; for (let i = 0; i < calls; i++) await cache.mget(keys); } },
];

/** CPU time of this process per call (user + system), so that other processes on the machine count less than in wall time. */
async function nsPerCall(scenario: Scenario, cache: Cache, calls: number): Promise<number> {
  const started = process.cpuUsage();
  await scenario.run(cache, calls);
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / calls;
}

async function main(): Promise<void> {
  const registry = new Registry();
  const plain = createCache();
  const counted = instrumentCacheManager(createCache(), { registry });
  const timed = instrumentCacheManager(createCache(), { registry, backend: 'memory-timed', durationHistogram: true });
  for (const cache of [plain, counted, timed]) {
    await cache.set('present', { n: 1 });
    await cache.set('wrapped', 1);
  }
  console.log(`## Cache\n\nIn-memory cache-manager 7.2.9 reads, ${ROUNDS} interleaved rounds of ${CALLS.toLocaleString('en-US')} awaited calls, CPU time of the process per call, Node ${process.version}.\n`);
  console.log('| call | plain CPU ns/call (median) | instrumented CPU ns/call (median) | added ns/call: median | middle half (p25 – p75) | spread (min – max) |');
  console.log('|---|---:|---:|---:|---|---|');
  for (const scenario of SCENARIOS) {
    const instrumented = scenario.timed ? timed : counted;
    await nsPerCall(scenario, plain, CALLS / 5); // warm-up, both
    await nsPerCall(scenario, instrumented, CALLS / 5);
    const plainRuns: number[] = [];
    const instrumentedRuns: number[] = [];
    const added: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const first = round % 2 === 0;
      const a = await nsPerCall(scenario, first ? plain : instrumented, CALLS);
      const b = await nsPerCall(scenario, first ? instrumented : plain, CALLS);
      const [p, i] = first ? [a, b] : [b, a];
      plainRuns.push(p);
      instrumentedRuns.push(i);
      added.push(i - p);
    }
    console.log(
      `| ${scenario.name} | ${fixed(median(plainRuns))} | ${fixed(median(instrumentedRuns))} | ${signed(median(added), 0)} | ` +
        `${signed(quantile(added, 0.25), 0)} – ${signed(quantile(added, 0.75), 0)} | ` +
        `${signed(Math.min(...added), 0)} – ${signed(Math.max(...added), 0)} |`,
    );
  }
  const total = (await registry.getSingleMetricAsString('nestjs_cache_get_total')).split('\n').slice(-2).join(', ');
  console.log(`\nCounted by the instrumented cache: \`${total}\``);
}

await main();

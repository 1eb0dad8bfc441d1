// The pinned HTTP benchmark: server on one core, load generator on the other, server CPU time per
// request as the headline, paired per-round differences against the bare app of the same round.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fetchText, loadRound } from '../support/load.js';
import { spread, type Spread } from '../support/quartiles.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { ITEM_BODY, ITEM_PATH, type AdapterName } from '../server/variants.js';

export interface PinnedOptions {
  readonly rounds: number;
  /** Requests per round and per variant (fixed count, so CPU per request has a fixed denominator). */
  readonly requests: Readonly<Record<AdapterName, number>>;
  readonly warmupRequests: Readonly<Record<AdapterName, number>>;
  readonly connections: number;
  readonly variants: Readonly<Record<AdapterName, readonly string[]>>;
  readonly serverCpu: number;
  readonly generatorCpu: number;
}

/** One variant's load round. */
export interface PinnedSample {
  readonly cpuMicrosPerRequest: number;
  readonly reqPerSec: number;
  /** Load generator (this process) CPU over wall time during the round, 0–1. */
  readonly generatorBusy: number;
  /** Server CPU over wall time during the round, 0–1. */
  readonly serverBusy: number;
  readonly errors: number;
}

export interface PinnedRun {
  readonly options: PinnedOptions;
  readonly startedAt: string;
  readonly seconds: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  /** samples[adapter][variant][round] */
  readonly samples: Record<string, Record<string, PinnedSample[]>>;
}

/** Pins this process (all its threads) to `cpu`. */
export function pinSelf(cpu: number): void {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(process.pid)], { stdio: 'ignore' });
}

function loadAverage(): number {
  return Number(execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0]);
}

async function measure(server: ServerProcess, requests: number, connections: number): Promise<PinnedSample> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const round = await loadRound(server, { path: ITEM_PATH, amount: requests, connections });
  const wallMicros = (performance.now() - wallBefore) * 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    cpuMicrosPerRequest: round.cpuMicrosPerRequest,
    reqPerSec: round.reqPerSec,
    generatorBusy: (cpu.user + cpu.system) / wallMicros,
    serverBusy: (round.cpuMicrosPerRequest * round.requests) / wallMicros,
    errors: round.errors + round.non2xx,
  };
}

/** Runs every variant of every adapter in interleaved rounds, the order rotated by one each round. */
export async function runPinnedSuite(options: PinnedOptions, log: (line: string) => void): Promise<PinnedRun> {
  const started = Date.now();
  const loadBefore = loadAverage();
  pinSelf(options.generatorCpu);
  const servers: { adapter: AdapterName; variant: string; server: ServerProcess }[] = [];
  for (const adapter of Object.keys(options.variants) as AdapterName[]) {
    for (const variant of options.variants[adapter]) {
      const label = `${adapter}/${variant}`;
      const server = await startServer({ variant: variant === 'bare' ? 'bare' : variant, adapter, label, cpu: options.serverCpu });
      const body = await fetchText(`${server.url}${ITEM_PATH}`);
      if (body !== ITEM_BODY) throw new Error(`${label} answered ${JSON.stringify(body)} instead of ${ITEM_BODY}`);
      servers.push({ adapter, variant, server });
    }
  }
  log(`${servers.length} servers on cpu ${options.serverCpu}, load generator on cpu ${options.generatorCpu}; warming up`);
  for (const { adapter, server } of servers) await loadRound(server, { path: ITEM_PATH, amount: options.warmupRequests[adapter], connections: options.connections });
  const samples: Record<string, Record<string, PinnedSample[]>> = {};
  for (const { adapter, variant } of servers) ((samples[adapter] ??= {})[variant] ??= []);
  for (let round = 0; round < options.rounds; round++) {
    const order = servers.map((_, i) => servers[(i + round) % servers.length]!);
    for (const { adapter, variant, server } of order) {
      samples[adapter]![variant]!.push(await measure(server, options.requests[adapter], options.connections));
    }
    log(`round ${round + 1}/${options.rounds} done`);
  }
  await Promise.all(servers.map(({ server }) => server.stop()));
  return {
    options,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    loadBefore,
    loadAfter: loadAverage(),
    samples,
  };
}

/** Per-round differences `a − b` of CPU µs per request (same round, same adapter). */
export function pairedDifferences(run: PinnedRun, adapter: string, a: string, b: string): number[] {
  const left = run.samples[adapter]?.[a];
  const right = run.samples[adapter]?.[b];
  if (left === undefined || right === undefined) return [];
  return left.map((sample, round) => sample.cpuMicrosPerRequest - (right[round] as PinnedSample).cpuMicrosPerRequest);
}

/** Median and IQR of the paired difference `a − b`. */
export function added(run: PinnedRun, adapter: string, a: string, b = 'bare'): Spread {
  return spread(pairedDifferences(run, adapter, a, b));
}

import autocannon from 'autocannon';
import { readCpuMicros, readRssMiB } from './proc-stats.js';
import type { ServerProcess } from './server-process.js';

/** One load round against one server, with the server's own CPU and memory. */
export interface RoundResult {
  readonly requests: number;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Server CPU (user + system) per completed request, µs. */
  readonly cpuMicrosPerRequest: number;
  readonly rssMiB: number;
}

export interface LoadOptions {
  readonly path: string;
  readonly seconds?: number;
  /** Stop after this many requests instead of after `seconds`. */
  readonly amount?: number;
  readonly connections: number;
  /** Replace `[<id>]` in the path with a fresh id per request. */
  readonly idReplacement?: boolean;
}

/** Loads `server` with autocannon on loopback and reads its CPU time before and after. */
export async function loadRound(server: ServerProcess, options: LoadOptions): Promise<RoundResult> {
  const cpuBefore = readCpuMicros(server.pid);
  const result = await autocannon({
    url: `${server.url}${options.path}`,
    connections: options.connections,
    pipelining: 1,
    ...(options.amount === undefined ? { duration: options.seconds ?? 1 } : { amount: options.amount }),
    idReplacement: options.idReplacement ?? false,
    timeout: 30,
    // Check every 50 ms whether the round is over (autocannon's default of 1 s rounds every run up to whole seconds).
    sampleInt: 50,
  });
  const cpuMicros = readCpuMicros(server.pid) - cpuBefore;
  const requests = result.requests.total;
  return {
    requests,
    reqPerSec: requests / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuMicrosPerRequest: requests > 0 ? cpuMicros / requests : Number.NaN,
    rssMiB: readRssMiB(server.pid),
  };
}

/** Number of samples in a text exposition, and how many of them have `http` in their name. */
export function countSamples(exposition: string): { all: number; http: number } {
  let all = 0;
  let http = 0;
  for (const line of exposition.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    all++;
    if (/^[^{ ]*http/.test(line)) http++;
  }
  return { all, http };
}

/** GETs `url` and returns the body, or `undefined` on a non-2xx answer. */
export async function fetchText(url: string): Promise<string | undefined> {
  const response = await fetch(url);
  const body = await response.text();
  return response.ok ? body : undefined;
}

import { deepEqual } from 'node:assert/strict';
import { countSamples, fetchText, loadRound, type RoundResult } from '../support/load.js';
import { table } from '../support/markdown.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fixed, median, signed } from '../support/stats.js';
import { ITEM_BODY, ITEM_PATH, RAW_VARIANT, VARIANTS, type AdapterName, type VariantInfo } from '../server/variants.js';

export interface HttpSuiteOptions {
  readonly rounds: number;
  /** Length of a round, seconds. */
  readonly seconds: number;
  /** Requests sent to each server before the first round. */
  readonly warmupRequests: number;
  readonly connections: number;
}

interface Contender {
  readonly info: VariantInfo;
  readonly adapter: AdapterName | undefined;
  readonly server: ServerProcess;
  readonly rounds: RoundResult[];
  httpSeries?: number;
  allSeries?: number;
}

const ADAPTERS: readonly AdapterName[] = ['fastify', 'express'];

/** The numbers the targets are checked against, per adapter. */
export interface HttpSummary {
  readonly ratio: Record<AdapterName, Record<string, number>>;
  readonly addedCpu: Record<AdapterName, Record<string, number>>;
}

/**
 * HTTP overhead: every variant in its own process, rounds interleaved in a rotating order so
 * drift (other load on the machine, CPU frequency) hits all variants alike; medians over rounds.
 */
export async function runHttpSuite(options: HttpSuiteOptions, log: (line: string) => void): Promise<{ markdown: string; summary: HttpSummary }> {
  const specs = [
    { info: RAW_VARIANT, adapter: undefined },
    ...ADAPTERS.flatMap((adapter) => VARIANTS.map((info) => ({ info, adapter }))),
  ];
  const contenders: Contender[] = await Promise.all(
    specs.map(async ({ info, adapter }) => ({
      info,
      adapter,
      rounds: [],
      server: await startServer({ variant: info.name, adapter: adapter ?? 'express', label: `${info.name}/${adapter ?? 'node'}` }),
    })),
  );
  for (const contender of contenders) {
    const body = await fetchText(`${contender.server.url}${ITEM_PATH}`);
    deepEqual(JSON.parse(body ?? 'null'), JSON.parse(ITEM_BODY), `${contender.server.label} answers ${ITEM_PATH} like the others`);
  }
  log(`http: ${contenders.length} servers up; warm-up ${options.warmupRequests} requests each`);
  for (const contender of contenders) await loadRound(contender.server, { path: ITEM_PATH, amount: options.warmupRequests, connections: options.connections });
  for (let round = 0; round < options.rounds; round++) {
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as Contender);
    for (const contender of order) {
      const result = await loadRound(contender.server, { path: ITEM_PATH, seconds: options.seconds, connections: options.connections });
      contender.rounds.push(result);
    }
    log(`http: round ${round + 1}/${options.rounds} done`);
  }
  for (const contender of contenders) {
    const exposition = await fetchText(`${contender.server.url}/metrics`);
    if (exposition !== undefined) {
      const counts = countSamples(exposition);
      contender.httpSeries = counts.http;
      contender.allSeries = counts.all;
    }
  }
  await Promise.all(contenders.map((contender) => contender.server.stop()));
  return report(contenders, options);
}

function bareOf(contenders: readonly Contender[], adapter: AdapterName | undefined): Contender | undefined {
  return contenders.find((c) => c.adapter === adapter && c.info.name === 'bare');
}

/** Median over rounds of a per-round comparison with the bare app of the same adapter (same round). */
function perRoundMedian(contender: Contender, bare: Contender | undefined, compare: (own: RoundResult, base: RoundResult) => number): number {
  if (bare === undefined) return Number.NaN;
  return median(contender.rounds.map((own, i) => compare(own, bare.rounds[i] as RoundResult)));
}

function report(contenders: readonly Contender[], options: HttpSuiteOptions): { markdown: string; summary: HttpSummary } {
  const summary: HttpSummary = { ratio: { express: {}, fastify: {} }, addedCpu: { express: {}, fastify: {} } };
  const rows = contenders.map((contender) => {
    const bare = bareOf(contenders, contender.adapter);
    const ratio = perRoundMedian(contender, bare, (own, base) => own.reqPerSec / base.reqPerSec);
    const addedCpu = perRoundMedian(contender, bare, (own, base) => own.cpuMicrosPerRequest - base.cpuMicrosPerRequest);
    if (contender.adapter !== undefined) {
      summary.ratio[contender.adapter][contender.info.name] = ratio;
      summary.addedCpu[contender.adapter][contender.info.name] = addedCpu;
    }
    const failures = contender.rounds.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
    const isBare = contender.info.name === 'bare';
    return [
      contender.adapter ?? '–',
      contender.info.describe(contender.adapter ?? 'express'),
      fixed(median(contender.rounds.map((r) => r.reqPerSec))),
      isBare || contender.adapter === undefined ? '1.00' : `**${fixed(ratio, 2)}**`,
      fixed(median(contender.rounds.map((r) => r.p50Ms)), 0),
      fixed(median(contender.rounds.map((r) => r.p99Ms)), 0),
      fixed(median(contender.rounds.map((r) => r.cpuMicrosPerRequest)), 1),
      isBare || contender.adapter === undefined ? '–' : signed(addedCpu, 1),
      fixed(median(contender.rounds.map((r) => r.rssMiB)), 1),
      contender.httpSeries === undefined ? '–' : `${contender.httpSeries} / ${contender.allSeries}`,
      String(failures),
    ];
  });
  const markdown = [
    `GET ${ITEM_PATH} (small JSON), ${options.connections} connections, no pipelining; ${options.rounds} rounds of ${options.seconds} s per variant after a warm-up of ${options.warmupRequests} requests, interleaved and rotated; medians. "× bare" and "Δ CPU" are per-round comparisons with the bare app of the same adapter (median over rounds); the raw \`node:http\` row is the upper bound (its "× bare" is against itself). Latency percentiles are autocannon's (whole milliseconds). CPU is the server process's user+system time from \`/proc/<pid>/stat\` divided by the requests served; RSS is VmRSS after each round. "HTTP series" counts samples whose name contains \`http\` on \`/metrics\` after the run (/ all samples).`,
    '',
    table(
      ['adapter', 'variant', 'req/s', '× bare', 'p50 ms', 'p99 ms', 'CPU µs/req', 'Δ CPU µs/req', 'RSS MiB', 'HTTP series / all', 'errors'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
  return { markdown, summary };
}

import { countSamples, fetchText, loadRound } from '../support/load.js';
import { table } from '../support/markdown.js';
import { readRssMiB } from '../support/proc-stats.js';
import { startServer } from '../support/server-process.js';
import { fixed, signed } from '../support/stats.js';
import { ITEM_PATH, VARIANTS, type AdapterName } from '../server/variants.js';

export interface CardinalitySuiteOptions {
  readonly requests: number;
  readonly warmupRequests: number;
  readonly connections: number;
  readonly adapters: readonly AdapterName[];
  readonly variants: readonly string[];
}

/**
 * Cardinality and memory: a fresh server per variant gets `requests` requests to distinct unknown
 * URLs (`/unknown/<uuid>`, all 404); series count and RSS before and after.
 */
export async function runCardinalitySuite(options: CardinalitySuiteOptions, log: (line: string) => void): Promise<string> {
  const rows: string[][] = [];
  for (const adapter of options.adapters) {
    for (const info of VARIANTS.filter((v) => options.variants.includes(v.name))) {
      const server = await startServer({ variant: info.name, adapter, label: `${info.name}/${adapter}` });
      try {
        await loadRound(server, { path: ITEM_PATH, amount: options.warmupRequests, connections: options.connections });
        const before = await fetchText(`${server.url}/metrics`);
        const rssBefore = readRssMiB(server.pid);
        const flood = await loadRound(server, { path: '/unknown/[<id>]', amount: options.requests, connections: options.connections, idReplacement: true });
        const after = await fetchText(`${server.url}/metrics`);
        const rssAfter = readRssMiB(server.pid);
        const seriesBefore = before === undefined ? undefined : countSamples(before).all;
        const seriesAfter = after === undefined ? undefined : countSamples(after).all;
        rows.push([
          adapter,
          info.describe(adapter),
          fixed(flood.requests),
          seriesBefore === undefined ? '–' : fixed(seriesBefore),
          seriesAfter === undefined ? '–' : fixed(seriesAfter),
          seriesBefore === undefined || seriesAfter === undefined ? '–' : signed(seriesAfter - seriesBefore, 0),
          fixed(rssBefore, 1),
          fixed(rssAfter, 1),
          signed(rssAfter - rssBefore, 1),
          after === undefined ? '–' : fixed(Buffer.byteLength(after)),
        ]);
        log(`cardinality: ${info.name}/${adapter} done`);
      } finally {
        await server.stop();
      }
    }
  }
  return [
    `Each variant in a fresh process: ${fixed(options.warmupRequests)} requests to GET /items/42, then ${fixed(options.requests)} requests to distinct unknown URLs (\`/unknown/<uuid>\`, all 404), ${options.connections} connections. Series = samples on \`/metrics\`; RSS = VmRSS (no forced GC).`,
    '',
    table(
      ['adapter', 'variant', 'requests', 'series before', 'series after', 'Δ series', 'RSS before MiB', 'RSS after MiB', 'Δ RSS MiB', '/metrics bytes after'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
}

import { countSamples, fetchText, loadRound } from '../support/load.js';
import { table } from '../support/markdown.js';
import { readRssMiB } from '../support/proc-stats.js';
import { startServer, type ServerProcess } from '../support/server-process.js';
import { fixed } from '../support/stats.js';
import { ITEM_PATH, VARIANTS, type AdapterName } from '../server/variants.js';

export interface CardinalitySuiteOptions {
  /** Requests to distinct unknown URLs, sent in two equal halves. */
  readonly requests: number;
  readonly warmupRequests: number;
  readonly connections: number;
  readonly adapters: readonly AdapterName[];
  readonly variants: readonly string[];
}

interface Snapshot {
  readonly httpSeries?: number;
  readonly allSeries?: number;
  readonly bytes?: number;
  readonly rssMiB: number;
  readonly heapMiB: number;
}

async function snapshot(server: ServerProcess): Promise<Snapshot> {
  const exposition = await fetchText(`${server.url}/metrics`);
  const heapMiB = await server.heapAfterGcMiB();
  const rssMiB = readRssMiB(server.pid);
  if (exposition === undefined) return { rssMiB, heapMiB };
  const counts = countSamples(exposition);
  return { httpSeries: counts.http, allSeries: counts.all, bytes: Buffer.byteLength(exposition), rssMiB, heapMiB };
}

const trio = (values: readonly (number | undefined)[], digits = 0) => (values.some((v) => v === undefined) ? '–' : values.map((v) => fixed(v as number, digits)).join(' → '));

/**
 * Cardinality and memory: a fresh server per variant gets requests to distinct unknown URLs
 * (`/unknown/<uuid>`, all 404) in two halves; series, heap after GC and RSS before, after the first
 * half and at the end. Bounded labels show as no change between the half and the end.
 */
export async function runCardinalitySuite(options: CardinalitySuiteOptions, log: (line: string) => void): Promise<string> {
  const rows: string[][] = [];
  const half = Math.floor(options.requests / 2);
  for (const adapter of options.adapters) {
    for (const info of VARIANTS.filter((v) => options.variants.includes(v.name))) {
      const server = await startServer({ variant: info.name, adapter, label: `${info.name}/${adapter}` });
      try {
        await loadRound(server, { path: ITEM_PATH, amount: options.warmupRequests, connections: options.connections });
        const snapshots = [await snapshot(server)];
        let sent = 0;
        for (let i = 0; i < 2; i++) {
          const flood = await loadRound(server, { path: '/unknown/[<id>]', amount: half, connections: options.connections, idReplacement: true });
          sent += flood.requests;
          snapshots.push(await snapshot(server));
        }
        rows.push([
          adapter,
          info.describe(adapter),
          fixed(sent),
          trio(snapshots.map((s) => s.httpSeries)),
          trio(snapshots.map((s) => s.allSeries)),
          trio(snapshots.map((s) => s.heapMiB), 1),
          trio(snapshots.map((s) => s.rssMiB), 1),
          trio(snapshots.map((s) => s.bytes)),
        ]);
        log(`cardinality: ${info.name}/${adapter} done`);
      } finally {
        await server.stop();
      }
    }
  }
  return [
    `Each variant in a fresh process: ${fixed(options.warmupRequests)} requests to GET /items/42, then ${fixed(half * 2)} requests to distinct unknown URLs (\`/unknown/<uuid>\`, all 404) in two halves, ${options.connections} connections. Each cell reads before → after the first half → at the end. Series = samples on \`/metrics\` ("HTTP" = names containing \`http\`); heap = V8 heap used after a forced full GC; RSS = VmRSS.`,
    '',
    table(
      ['adapter', 'variant', 'unknown-URL requests', 'HTTP series', 'all series', 'heap after GC MiB', 'RSS MiB', '/metrics bytes'],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
}

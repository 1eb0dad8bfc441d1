// The markdown of one pinned run: per-variant table, decomposition, floor verdict.
import { table } from '../support/markdown.js';
import { quantile, spread, type Spread } from '../support/quartiles.js';
import { fixed, signed } from '../support/stats.js';
import { added, pairedDifferences, type PinnedRun } from './pinned-suite.js';

export const VARIANT_TEXT: Readonly<Record<string, string>> = {
  bare: 'bare NestJS',
  floor: 'FLOOR: bare + start/end adapter hooks, one plain counter',
  'floor-abort': 'floor + an empty `onRequestAbort` hook',
  'floor-store': 'STORE FLOOR: the floor writing a plain store (series by view, method, status; count and latency buckets)',
  'floor-key': 'the same store found by a `view|method|status` string key (FACTS.md\'s floor)',
  'floor-data': 'DATA FLOOR: hand-written hooks recording the inputs of all 19 HTTP families',
  'np-nohttp': 'nest-prometheus, `http: false, defaultMetrics: false`',
  'np-hooks': 'nest-prometheus adapter hooks + request state only',
  'np-wrapper': '… + handler wrapper',
  'np-recorder': '… + recorder (labels, observation), store a no-op',
  'np-nodm': '… + store = HTTP complete, `defaultMetrics: false`',
  np: 'nest-prometheus `forRoot()` defaults',
  'np-noabort': '`forRoot({ http: { countAbortedRequests: false } })`',
};

/** The decomposition: each part is the paired difference between two variants of the same round. */
export const PARTS: readonly { readonly part: string; readonly a: string; readonly b: string }[] = [
  { part: 'module without HTTP (registry, `/metrics` route)', a: 'np-nohttp', b: 'bare' },
  { part: 'adapter hooks + per-request state', a: 'np-hooks', b: 'bare' },
  { part: 'handler wrapper', a: 'np-wrapper', b: 'np-hooks' },
  { part: 'recorder (labels, observation)', a: 'np-recorder', b: 'np-wrapper' },
  { part: 'store', a: 'np-nodm', b: 'np-recorder' },
  { part: 'default metrics (event-loop monitor, GC observer)', a: 'np', b: 'np-nodm' },
  { part: '**total: `forRoot()` defaults − bare**', a: 'np', b: 'bare' },
  { part: 'FLOOR − bare', a: 'floor', b: 'bare' },
  { part: 'Fastify `onRequestAbort` hook (floor-abort − floor)', a: 'floor-abort', b: 'floor' },
  { part: 'STORE FLOOR − bare', a: 'floor-store', b: 'bare' },
  { part: 'DATA FLOOR − bare', a: 'floor-data', b: 'bare' },
  { part: 'saved by `http.countAbortedRequests: false` (np − np-noabort)', a: 'np', b: 'np-noabort' },
];

export function formatSpread(s: Spread, digits = 1): string {
  return Number.isFinite(s.median) ? `${signed(s.median, digits)} (${signed(s.p25, digits)} … ${signed(s.p75, digits)})` : '–';
}

function bottleneck(run: PinnedRun, adapter: string, variant: string): string {
  const samples = run.samples[adapter]?.[variant] ?? [];
  const generator = samples.filter((s) => s.generatorBusy >= 0.9 && s.serverBusy < 0.9).length;
  const server = samples.filter((s) => s.serverBusy >= 0.9).length;
  const busy = (values: number[]) => `${fixed(quantile(values, 0.5) * 100)} %`;
  return `server ${busy(samples.map((s) => s.serverBusy))} / generator ${busy(samples.map((s) => s.generatorBusy))}${generator > 0 ? `; generator-bound in ${generator}/${samples.length}` : ''}${server > 0 ? `; server-bound in ${server}/${samples.length}` : ''}`;
}

/**
 * Ratio of the medians of `np − bare` and `floor − bare`, with the verdict against 1.5×. A ratio of
 * figures whose interquartile ranges reach zero says nothing: `resolved` is false then, and `met` too.
 */
export function floorVerdict(run: PinnedRun, adapter: string): { total: Spread; floor: Spread; ratio: number; resolved: boolean; met: boolean } {
  const total = added(run, adapter, 'np');
  const floor = added(run, adapter, 'floor');
  const ratio = total.median / floor.median;
  const resolved = floor.p25 > 0 && total.p25 > 0;
  return { total, floor, ratio, resolved, met: resolved && total.median <= 1.5 * floor.median };
}

/** The verdict's words: within, not within, or none. */
export function verdictText(v: { resolved: boolean; met: boolean }): string {
  if (!v.resolved) return 'no verdict: the floor or the total is not told apart from zero (p25 ≤ 0)';
  return v.met ? 'within 1.5×' : '**not within 1.5×**';
}

export function pinnedMarkdown(run: PinnedRun, command: string): string {
  const o = run.options;
  const adapters = Object.keys(run.samples);
  const lines: string[] = [
    `#### Pinned run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC (${fixed(run.seconds)} s)`,
    '',
    `Command: \`${command}\`. Node.js ${process.version}; load average (1 min) ${fixed(run.loadBefore, 2)} before, ${fixed(run.loadAfter, 2)} after. ` +
      `Server on CPU ${o.serverCpu}, load generator (autocannon, ${o.connections} connections) on CPU ${o.generatorCpu}; ${o.rounds} interleaved rounds, order rotated each round; ` +
      adapters.map((a) => `${a} ${o.requests[a as 'fastify']} requests per round`).join(', ') +
      '. CPU = server utime+stime from `/proc/<pid>/stat` over the round / requests. Δ = median of the per-round differences against bare (p25 … p75).',
    '',
  ];
  for (const adapter of adapters) {
    const variants = Object.keys(run.samples[adapter]!);
    const bareRps = (run.samples[adapter]!.bare ?? []).map((s) => s.reqPerSec);
    const rows = variants.map((variant) => {
      const samples = run.samples[adapter]![variant]!;
      const cpu = spread(samples.map((s) => s.cpuMicrosPerRequest));
      const ratio = samples.map((s, i) => s.reqPerSec / (bareRps[i] ?? Number.NaN));
      return [
        VARIANT_TEXT[variant] ?? variant,
        `${fixed(cpu.median, 1)} (${fixed(cpu.p25, 1)} … ${fixed(cpu.p75, 1)})`,
        variant === 'bare' ? '–' : formatSpread(added(run, adapter, variant)),
        fixed(quantile(samples.map((s) => s.reqPerSec), 0.5)),
        variant === 'bare' ? '1.00' : fixed(quantile(ratio, 0.5), 2),
        bottleneck(run, adapter, variant),
        String(samples.reduce((n, s) => n + s.errors, 0)),
      ];
    });
    lines.push(`**${adapter}**`, '', table(['variant', 'CPU µs/req (p25 … p75)', 'Δ CPU µs/req vs bare', 'req/s', '× bare req/s', 'busy (median)', 'errors'], rows, ['l', 'r', 'r', 'r', 'r', 'l', 'r']), '');
  }
  const parts = PARTS.filter((p) => adapters.some((a) => pairedDifferences(run, a, p.a, p.b).length > 0));
  lines.push(
    '**Decomposition** (added server CPU µs per request; median of per-round paired differences, p25 … p75)',
    '',
    table(['part', ...adapters], parts.map((p) => [p.part, ...adapters.map((a) => formatSpread(added(run, a, p.a, p.b)))]), ['l', ...adapters.map(() => 'r' as const)]),
    '',
  );
  for (const adapter of adapters) {
    const v = floorVerdict(run, adapter);
    if (!Number.isFinite(v.ratio)) continue;
    lines.push(`- ${adapter}: added ${signed(v.total.median)} µs vs floor ${signed(v.floor.median)} µs → ${fixed(v.ratio, 2)}× the floor's added cost — ${verdictText(v)}`);
  }
  return lines.join('\n');
}

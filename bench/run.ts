// The benchmark driver: `npm run bench` (full, minutes) or `npm run bench -- --quick` (< 60 s).
// Options: --quick, --only=http,scrape,cardinality, --out=<file>; --pinned runs the pinned benchmark
// instead (bench/pinned/run.ts: server and load generator on separate cores, CPU per request);
// --instructions counts instructions per request under valgrind (bench/pinned/instructions.ts).
// A full run of every suite rewrites the generated part of bench/RESULTS.md; a quick run writes
// build/bench/RESULTS.quick.md, a partial one (--only) build/bench/RESULTS.partial.md. Both print the report. No timing is asserted: the exit code
// says only whether every part ran.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCardinalitySuite } from './cardinality/cardinality-suite.js';
import { runHttpSuite, type HttpSummary } from './http/http-suite.js';
import { runScrapeSuite } from './scrape/scrape-suite.js';
import { describeMachine } from './support/machine.js';
import { readLoadAverage } from './support/proc-stats.js';
import { stopAllServers } from './support/server-process.js';
import { fixed, signed } from './support/stats.js';

const BEGIN = '<!-- bench:generated:begin -->';
const END = '<!-- bench:generated:end -->';
const RESULTS = fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url));
const QUICK_RESULTS = fileURLToPath(new URL('./RESULTS.quick.md', import.meta.url));
const PARTIAL_RESULTS = fileURLToPath(new URL('./RESULTS.partial.md', import.meta.url));

const SUITES = ['http', 'scrape', 'cardinality'] as const;
type Suite = (typeof SUITES)[number];

interface Settings {
  readonly quick: boolean;
  readonly suites: readonly Suite[];
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Settings {
  const quick = argv.includes('--quick');
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const suites = only === undefined ? [...SUITES] : only.split(',').map((name) => name.trim());
  for (const suite of suites) {
    if (!(SUITES as readonly string[]).includes(suite)) throw new Error(`--only: unknown suite "${suite}"; accepted: ${SUITES.join(', ')}`);
  }
  // bench/RESULTS.md only ever holds a complete full run.
  const fallback = quick ? QUICK_RESULTS : only === undefined ? RESULTS : PARTIAL_RESULTS;
  const out = argv.find((arg) => arg.startsWith('--out='))?.slice('--out='.length) ?? fallback;
  return { quick, suites: suites as Suite[], out };
}

function targets(summary: HttpSummary): string {
  const check = (ok: boolean) => (ok ? 'met' : '**not met**');
  const np = (adapter: 'express' | 'fastify') => summary.ratio[adapter]['nest-prometheus'] ?? Number.NaN;
  const cpu = (adapter: 'express' | 'fastify') => summary.addedCpu[adapter]['nest-prometheus'] ?? Number.NaN;
  const willsoto = (adapter: 'express' | 'fastify') => summary.ratio[adapter].willsoto ?? Number.NaN;
  const rows = [
    `- Fastify throughput ≥ 0.92× bare: ${fixed(np('fastify'), 2)}× — ${check(np('fastify') >= 0.92)}`,
    `- Express throughput ≥ 0.97× bare: ${fixed(np('express'), 2)}× — ${check(np('express') >= 0.97)}`,
    `- ≤ 10 µs added server CPU per request: Fastify ${signed(cpu('fastify'))} µs, Express ${signed(cpu('express'))} µs — ${check(cpu('fastify') <= 10 && cpu('express') <= 10)}`,
    `- better than the willsoto setup: Fastify ${fixed(np('fastify'), 2)}× vs ${fixed(willsoto('fastify'), 2)}×, Express ${fixed(np('express'), 2)}× vs ${fixed(willsoto('express'), 2)}× — ${check(np('fastify') > willsoto('fastify') && np('express') > willsoto('express'))}`,
  ];
  return ['Targets (reported, not asserted; this run, this machine):', '', ...rows].join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--instructions')) {
    const { instructionsMain } = await import('./pinned/instructions.js');
    await instructionsMain(process.argv.slice(2).filter((arg) => arg !== '--instructions'));
    return;
  }
  if (process.argv.includes('--pinned')) {
    const { pinnedMain } = await import('./pinned/run.js');
    await pinnedMain(process.argv.slice(2).filter((arg) => arg !== '--pinned'));
    return;
  }
  const settings = parseArgs(process.argv.slice(2));
  const started = new Date();
  const loadBefore = readLoadAverage();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0)}s] ${line}\n`);
  const sections: string[] = [];
  const q = settings.quick;
  if (settings.suites.includes('http')) {
    const { markdown, summary } = await runHttpSuite(q ? { rounds: 3, seconds: 0.7, warmupRequests: 500, connections: 16 } : { rounds: 12, seconds: 3, warmupRequests: 10_000, connections: 16 }, log);
    sections.push('### HTTP overhead', '', markdown, '', targets(summary), '');
  }
  if (settings.suites.includes('scrape')) {
    const markdown = await runScrapeSuite(
      q
        ? { sizes: [1250], iterations: 3, stallSeries: 1250, stallSeconds: 2, stallRounds: 1, connections: 16 }
        : { sizes: [1250, 12500], iterations: 7, stallSeries: 12500, stallSeconds: 6, stallRounds: 3, connections: 16 },
      log,
    );
    sections.push('### Scrape cost', '', markdown, '');
  }
  if (settings.suites.includes('cardinality')) {
    const markdown = await runCardinalitySuite(
      q
        ? { requests: 2000, warmupRequests: 300, connections: 16, adapters: ['fastify', 'express'], variants: ['nest-prometheus'] }
        : { requests: 100_000, warmupRequests: 2000, connections: 16, adapters: ['fastify', 'express'], variants: ['bare', 'nest-prometheus', 'willsoto', 'bundle'] },
      log,
    );
    sections.push('### Cardinality and memory', '', markdown, '');
  }
  const seconds = (Date.now() - started.getTime()) / 1000;
  const generated = [
    `## ${q ? 'Quick' : 'Full'} run of ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC (${seconds.toFixed(0)} s)`,
    '',
    `Command: \`npm run bench${q ? ' -- --quick' : ''}\`${settings.suites.length < SUITES.length ? ` (\`--only=${settings.suites.join(',')}\`)` : ''}`,
    '',
    describeMachine(loadBefore),
    '',
    ...sections,
  ].join('\n');
  process.stdout.write(`${generated}\n`);
  writeResults(settings.out, generated);
  log(`report written to ${settings.out}`);
}

/** Replaces the generated block of `file` (between the markers), or writes the file when it has none. */
function writeResults(file: string, generated: string): void {
  let existing = '';
  try {
    existing = readFileSync(file, 'utf8');
  } catch {
    // first run
  }
  const begin = existing.indexOf(BEGIN);
  const end = existing.indexOf(END);
  const block = `${BEGIN}\n${generated}\n${END}`;
  const text = begin >= 0 && end > begin ? `${existing.slice(0, begin)}${block}${existing.slice(end + END.length)}` : `${existing}${existing === '' ? '' : '\n'}${block}\n`;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

main()
  .then(() => stopAllServers())
  .catch(async (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    await stopAllServers();
    process.exitCode = 1;
  });

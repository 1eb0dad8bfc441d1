// The pinned benchmark: `npm run bench -- --pinned` or `node build/bench/pinned/run.js` (after
// `npm run build:all`). Server on CPU 0, load generator on CPU 1 (`taskset`), server CPU time per
// request as the headline, interleaved rotated rounds, paired differences against bare.
// Options: --quick (bare, floor and forRoot() only; about a minute), --rounds=N, --adapters=fastify,express,
// --scale=F (requests per round × F),
// --out=<markdown file> (default build/bench/RESULTS.pinned.md), --json=<file> (default build/bench/pinned.json).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopAllServers } from '../support/server-process.js';
import type { AdapterName } from '../server/variants.js';
import { pinnedMarkdown } from './pinned-report.js';
import { runPinnedSuite, type PinnedOptions, type PinnedRun } from './pinned-suite.js';

export const FULL_VARIANTS: Record<AdapterName, string[]> = {
  fastify: ['bare', 'floor', 'floor-abort', 'floor-store', 'floor-key', 'floor-data', 'np-nohttp', 'np-hooks', 'np-wrapper', 'np-recorder', 'np-nodm', 'np', 'np-noabort'],
  express: ['bare', 'floor', 'floor-store', 'np-nohttp', 'np-hooks', 'np-wrapper', 'np-recorder', 'np-nodm', 'np'],
};
const QUICK_VARIANTS: Record<AdapterName, string[]> = { fastify: ['bare', 'floor', 'np'], express: ['bare', 'floor', 'np'] };

function option(argv: readonly string[], name: string): string | undefined {
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** The options of a quick or full run, from the command line. */
export function pinnedOptions(argv: readonly string[]): PinnedOptions {
  const quick = argv.includes('--quick');
  const adapters = (option(argv, 'adapters') ?? 'fastify,express').split(',') as AdapterName[];
  for (const adapter of adapters) if (adapter !== 'fastify' && adapter !== 'express') throw new Error(`--adapters: unknown adapter "${adapter}"; accepted: fastify, express`);
  const rounds = Number(option(argv, 'rounds') ?? (quick ? 5 : 11));
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: "${option(argv, 'rounds')}" is not a positive integer`);
  const variants = quick ? QUICK_VARIANTS : FULL_VARIANTS;
  const scale = Number(option(argv, 'scale') ?? 1);
  if (!(scale > 0)) throw new Error(`--scale: "${option(argv, 'scale')}" is not a positive number`);
  const n = (count: number) => Math.max(100, Math.round(count * scale));
  return {
    rounds,
    requests: quick ? { fastify: n(8000), express: n(2500) } : { fastify: n(30000), express: n(6000) },
    warmupRequests: quick ? { fastify: n(3000), express: n(1000) } : { fastify: n(8000), express: n(3000) },
    connections: 16,
    variants: Object.fromEntries(adapters.map((a) => [a, variants[a]])) as Record<AdapterName, string[]>,
    serverCpu: 0,
    generatorCpu: 1,
  };
}

/** Runs the pinned benchmark, writes the markdown and JSON, returns the run. */
export async function pinnedMain(argv: readonly string[]): Promise<PinnedRun> {
  const options = pinnedOptions(argv);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[pinned ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  const run = await runPinnedSuite(options, log);
  const command = `node build/bench/pinned/run.js${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
  const markdown = pinnedMarkdown(run, command);
  const out = option(argv, 'out') ?? fileURLToPath(new URL('../RESULTS.pinned.md', import.meta.url));
  const json = option(argv, 'json') ?? fileURLToPath(new URL('../pinned.json', import.meta.url));
  for (const [file, text] of [[out, `${markdown}\n`], [json, JSON.stringify(run, null, 1)]] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  process.stdout.write(`${markdown}\n`);
  log(`written to ${out} and ${json}`);
  return run;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  pinnedMain(process.argv.slice(2))
    .then(() => stopAllServers())
    .catch(async (error: unknown) => {
      process.stderr.write(`pinned bench failed: ${(error as Error).stack ?? String(error)}\n`);
      await stopAllServers();
      process.exitCode = 1;
    });
}

// CI guard against large regressions of the HTTP path's cost (not a timing test):
// `node build/bench/pinned/guard.js` (after `npm run build:all`) runs the quick pinned benchmark
// (bare, floor, forRoot() defaults; 5 rounds) and exits 1 only when the median added server CPU per
// request of `forRoot()` over bare exceeds the limit of its adapter. The limits are wide on purpose
// (see bench/RESULTS.md, "Pinned HTTP overhead"): ten quick runs on this 2-core machine at load
// average 3.6–9.6 gave medians of −1.3 … +10.0 µs on Fastify and −24 … +68 µs on Express; the limits
// are 2.5× and 2.2× the worst of them, so noise does not trip them, while a regression of the size of
// a global RxJS interceptor on Fastify (+25–35 µs) or a per-request storm on Express (+150 µs, half of
// a bare Express request) does.
// Options: --fastify-limit=µs, --express-limit=µs, and any option of bench/pinned/run.ts.
import { fileURLToPath } from 'node:url';
import { fixed, signed } from '../support/stats.js';
import { limitOption, runGuard, withoutLimits } from './guard-support.js';
import { floorVerdict } from './pinned-report.js';
import { pinnedMain } from './run.js';

/** Added server CPU µs per request (median over rounds) above which the guard fails. */
export const GUARD_LIMITS: Readonly<Record<'fastify' | 'express', number>> = { fastify: 25, express: 150 };

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const limits = { fastify: limitOption(argv, 'fastify', GUARD_LIMITS, 'microseconds'), express: limitOption(argv, 'express', GUARD_LIMITS, 'microseconds') };
  const passOn = withoutLimits(argv);
  const run = await pinnedMain([
    '--quick',
    `--out=${fileURLToPath(new URL('../RESULTS.guard.md', import.meta.url))}`,
    `--json=${fileURLToPath(new URL('../guard.json', import.meta.url))}`,
    ...passOn,
  ]);
  let failed = 0;
  for (const adapter of Object.keys(run.samples) as ('fastify' | 'express')[]) {
    const v = floorVerdict(run, adapter);
    const errors = Object.values(run.samples[adapter] ?? {}).flat().reduce((n, s) => n + s.errors, 0);
    const over = !(v.total.median <= limits[adapter]) || errors > 0;
    if (over) failed++;
    process.stdout.write(
      `guard ${adapter}: forRoot() adds ${signed(v.total.median)} µs/request (p25 … p75 ${signed(v.total.p25)} … ${signed(v.total.p75)}; floor ${signed(v.floor.median)}; ${fixed(v.ratio, 2)}× floor), limit ${limits[adapter]} µs${errors > 0 ? `, ${errors} failed requests` : ''} — ${over ? 'FAIL' : 'ok'}\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}

runGuard('pinned guard', main);

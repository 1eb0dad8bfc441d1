// CI guard against regressions of the HTTP path's cost, in instructions (not a timing test):
// `node build/bench/pinned/instruction-guard.js` (after `npm run build:all`; needs valgrind) counts
// instructions per request of bare and `forRoot()` on both adapters under callgrind (bench/pinned/
// instructions.ts, 4 batches after 2 discarded) and exits 1 when `forRoot()` adds more than the limit of
// its adapter. Instruction counts do not move with the machine's load, so the limits can be far
// tighter than the CPU-time guard's. The statistic is the difference of the two variants' cheapest
// batches: a batch that happens to hold a major collection costs up to 200k instructions more per
// request (on Express it moved the median of four paired batches by tens of thousands), while a real
// regression raises every batch, the cheapest included. Limits: about twice the largest median
// `forRoot()` added in the full runs of bench/RESULTS.md ("Instructions per request").
// Options: --fastify-limit=k, --express-limit=k (thousands of instructions), and any option of
// bench/pinned/instructions.ts.
import { fileURLToPath } from 'node:url';
import { limitOption, runGuard, withoutLimits } from './guard-support.js';
import { addedInstructions, cheapestAdded, CONTROL, instructionsMain } from './instructions.js';

/** Added thousands of instructions per request (cheapest batch against cheapest batch) above which the guard fails. */
export const INSTRUCTION_LIMITS: Readonly<Record<'fastify' | 'express', number>> = { fastify: 16, express: 75 };

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const limits = { fastify: limitOption(argv, 'fastify', INSTRUCTION_LIMITS, 'thousands of instructions'), express: limitOption(argv, 'express', INSTRUCTION_LIMITS, 'thousands of instructions') };
  const passOn = withoutLimits(argv);
  const run = await instructionsMain([
    '--variants=np',
    '--batches=4',
    '--discard=2',
    `--out=${fileURLToPath(new URL('../RESULTS.instruction-guard.md', import.meta.url))}`,
    `--json=${fileURLToPath(new URL('../instruction-guard.json', import.meta.url))}`,
    ...passOn,
  ]);
  let failed = 0;
  for (const adapter of run.options.adapters) {
    const added = addedInstructions(run, adapter, 'np');
    const control = addedInstructions(run, adapter, CONTROL);
    const k = cheapestAdded(run, adapter, 'np') / 1000;
    const over = !(k <= limits[adapter]);
    if (over) failed++;
    process.stdout.write(
      `instruction guard ${adapter}: forRoot() adds ${k.toFixed(1)}k instructions/request, cheapest batches (paired batches: median ${(added.median / 1000).toFixed(1)}k, p25 … p75 ${(added.p25 / 1000).toFixed(1)} … ${(added.p75 / 1000).toFixed(1)}; A/A control ${(control.median / 1000).toFixed(1)}k), limit ${limits[adapter]}k — ${over ? 'FAIL' : 'ok'}\n`,
    );
  }
  return failed === 0 ? 0 : 1;
}

runGuard('instruction guard', main);

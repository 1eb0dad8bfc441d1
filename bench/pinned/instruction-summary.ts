// One table over several instruction-count runs: `node build/bench/pinned/instruction-summary.js
// run1.json run2.json …` (the JSON files written by bench/pinned/instructions.ts). Prints markdown.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from '../support/markdown.js';
import type { Spread } from '../support/quartiles.js';
import { addedInstructions, cheapestAdded, CONTROL, level, type InstructionRun } from './instructions.js';

const k = (n: number) => `${n >= 0 ? '+' : '−'}${(Math.abs(n) / 1000).toFixed(1)}`;
const spreadK = (s: Spread) => `${k(s.median)} (${k(s.p25)} … ${k(s.p75)})`;

export function instructionSummary(runs: readonly InstructionRun[]): string {
  const rows: string[][] = [];
  for (const run of runs) {
    for (const adapter of run.options.adapters) {
      const has = (v: string) => run.options.variants[adapter].includes(v);
      const np = addedInstructions(run, adapter, 'np');
      const floor = has('floor') ? addedInstructions(run, adapter, 'floor') : undefined;
      const abort = has('floor-abort') ? addedInstructions(run, adapter, 'floor-abort') : undefined;
      const store = has('floor-store') ? addedInstructions(run, adapter, 'floor-store') : undefined;
      const storeRatio = store === undefined ? Number.NaN : np.median / store.median;
      const data = has('floor-data') ? addedInstructions(run, adapter, 'floor-data') : undefined;
      const dataRatio = data === undefined ? Number.NaN : np.median / data.median;
      const noAbort = has('np-noabort') ? addedInstructions(run, adapter, 'np-noabort') : undefined;
      const control = has(CONTROL) ? addedInstructions(run, adapter, CONTROL) : undefined;
      const ratio = floor === undefined ? Number.NaN : np.median / floor.median;
      const cheapest = cheapestAdded(run, adapter, 'np');
      rows.push([
        `${run.startedAt.slice(11, 16)} UTC, load ${run.loadBefore.toFixed(1)} → ${run.loadAfter.toFixed(1)}`,
        adapter,
        (level(run, adapter, 'bare').median / 1000).toFixed(1),
        spreadK(np),
        k(cheapest),
        floor === undefined ? '–' : spreadK(floor),
        abort === undefined ? '–' : spreadK(abort),
        Number.isFinite(ratio) ? `${ratio.toFixed(1)}×${ratio <= 1.5 && floor!.median > 0 ? '' : ' (**> 1.5×**)'}` : '–',
        store === undefined ? '–' : spreadK(store),
        Number.isFinite(storeRatio) ? `${storeRatio.toFixed(1)}×${storeRatio <= 1.5 && store!.median > 0 ? '' : ' (**> 1.5×**)'}` : '–',
        data === undefined ? '–' : spreadK(data),
        Number.isFinite(dataRatio) ? `${dataRatio.toFixed(2)}×` : '–',
        noAbort === undefined ? '–' : spreadK(noAbort),
        control === undefined ? '–' : spreadK(control),
      ]);
    }
  }
  return table(
    ['run', 'adapter', 'bare, k instr/request', '`forRoot()` − bare', '`forRoot()` − bare, cheapest batches', 'FLOOR − bare', 'floor + `onRequestAbort` − bare', '`forRoot()` / FLOOR', 'STORE FLOOR − bare', '`forRoot()` / STORE FLOOR', 'DATA FLOOR − bare', '`forRoot()` / DATA FLOOR', '`countAbortedRequests: false` − bare', 'A/A control − bare'],
    rows,
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

const files = process.argv.slice(2);
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`${instructionSummary(files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as InstructionRun))}\n`);
}

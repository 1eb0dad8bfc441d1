// Summarises several pinned runs: `node build/bench/pinned/summarize.js <run.json> …` prints one
// row per run (load, added CPU of forRoot() and of the floor per adapter, the ratio, the verdict).
import { readFileSync } from 'node:fs';
import { table } from '../support/markdown.js';
import { fixed } from '../support/stats.js';
import { floorVerdict, formatSpread } from './pinned-report.js';
import type { PinnedRun } from './pinned-suite.js';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: summarize.js <pinned run JSON> …');
const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as PinnedRun);
const adapters = ['fastify', 'express'];
const rows = runs.map((run) => [
  `${run.startedAt.slice(11, 16)} UTC, ${run.options.rounds} rounds`,
  `${fixed(run.loadBefore, 1)} → ${fixed(run.loadAfter, 1)}`,
  ...adapters.flatMap((adapter) => {
    if (run.samples[adapter] === undefined) return ['–', '–', '–'];
    const v = floorVerdict(run, adapter);
    return [formatSpread(v.total), formatSpread(v.floor), `${fixed(v.ratio, 2)}× ${!v.resolved ? '(no verdict)' : v.met ? '(≤ 1.5×)' : '(**> 1.5×**)'}`];
  }),
]);
process.stdout.write(
  `${table(
    ['run', 'load avg', 'Fastify: forRoot() − bare', 'Fastify: floor − bare', 'Fastify ratio', 'Express: forRoot() − bare', 'Express: floor − bare', 'Express ratio'],
    rows,
    ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  )}\n`,
);

// Instructions per request: `node build/bench/pinned/instructions.js` (after `npm run build:all`), or
// `npm run bench -- --pinned --instructions`. Each server variant runs under valgrind's callgrind,
// which counts the instructions the process executes (user space, all threads). Unlike CPU time, the
// count does not move when other work shares the core, so a few hundred instructions per request are
// resolved on a busy machine.
//
// Schedule (the same for every variant, so batch i of one variant pairs with batch i of bare):
// a warm-up with counting off; counting on; an idle stretch; `--discard` batches thrown away; then
// `--batches` batches, each `--requests` sequential keep-alive requests followed by one scavenge, all
// between a `zero` and a `dump` of the counters, each followed by another idle stretch. The idle rate
// (timers such as the event-loop delay monitor) is subtracted from each batch in proportion to the
// batch's wall time, so valgrind's slowness does not bill per-second work to every request; it is the
// median of the process's idle stretches, because one stretch alone read anything from 0 to about
// 300k instructions per second for the same `forRoot()` server (the first one often 0), and at a few
// milliseconds per request under valgrind that moved its figure by up to 1.5k instructions per
// request (bench/RESULTS.md, session 7). V8 runs single-threaded (its compiler and collector
// work lands in the count) with a fixed 64 MiB young generation, so the only scavenge of a batch is
// the one that ends it: every batch pays for its own garbage. V8 keeps compiling and re-optimising
// for thousands of requests in valgrind's slow motion: the compilers' instructions are left out of
// the figure (reported beside it), and what drift remains is common to all variants, which the
// pairing by batch index cancels.
// Options: --adapters=fastify,express --variants=a,b (default: all) --batches=8 --discard=3
// --requests=F (scale) --processes=N (default 1; a second bare server is always the A/A control)
// --parallel=N (servers measured at once; default 2) --out=<md> --json=<file>.
// Environment: NP_KEEP_CALLGRIND=1 keeps the dumps (and writes variants.json beside them, which
// attribute.js reads); NP_CALLGRIND_NODE_OPTIONS adds node flags to the measured servers.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { table } from '../support/markdown.js';
import { spread, type Spread } from '../support/quartiles.js';
import { KEPT_INDEX, splitDump, type KeptRun, type KeptServer } from './callgrind-dump.js';
import { startServer, stopAllServers, type ServerProcess } from '../support/server-process.js';
import { ITEM_BODY, ITEM_PATH, type AdapterName } from '../server/variants.js';
import { VARIANT_TEXT } from './pinned-report.js';
import { FULL_VARIANTS } from './run.js';

const run = promisify(execFile);

export interface InstructionOptions {
  readonly adapters: readonly AdapterName[];
  readonly variants: Readonly<Record<AdapterName, readonly string[]>>;
  readonly batches: number;
  readonly discard: number;
  readonly requests: Readonly<Record<AdapterName, number>>;
  readonly warmup: Readonly<Record<AdapterName, number>>;
  readonly processes: number;
  readonly parallel: number;
  readonly idleMs: number;
}

/** One server process of one variant. */
export interface InstructionSample {
  readonly variant: string;
  readonly process: number;
  /** Instructions per request of each batch, without compilation, idle rate subtracted. */
  readonly perRequest: number[];
  /** Instructions per request of each batch as counted (nothing subtracted, compilation included). */
  readonly rawPerRequest: number[];
  /** Instructions per request of each batch spent in V8's compilers (left out of `perRequest`). */
  readonly compiledPerRequest: number[];
  /** Instructions per millisecond while idle (timers, monitors): the median of `idleRates`. */
  readonly idlePerMs: number;
  /** Instructions per millisecond of each idle stretch: before the discarded batches, then after each batch. */
  readonly idleRates: number[];
  /** Wall milliseconds per request under valgrind (for the subtraction's size). */
  readonly wallMsPerRequest: number;
}

export interface InstructionRun {
  readonly options: InstructionOptions;
  readonly startedAt: string;
  readonly seconds: number;
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly valgrind: string;
  readonly samples: Record<string, InstructionSample[]>;
}

/** The A/A control: a second bare server, measured like any variant. */
export const CONTROL = 'bare-control';

function option(argv: readonly string[], name: string): string | undefined {
  return argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function positiveInteger(argv: readonly string[], name: string, fallback: number): number {
  const text = option(argv, name);
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: "${text}" is not a positive integer`);
  return value;
}

export function instructionOptions(argv: readonly string[]): InstructionOptions {
  const adapters = (option(argv, 'adapters') ?? 'fastify,express').split(',') as AdapterName[];
  for (const adapter of adapters) if (adapter !== 'fastify' && adapter !== 'express') throw new Error(`--adapters: unknown adapter "${adapter}"; accepted: fastify, express`);
  const only = option(argv, 'variants')?.split(',');
  const scale = Number(option(argv, 'requests') ?? 1);
  if (!(scale > 0)) throw new Error(`--requests: "${option(argv, 'requests')}" is not a positive number (a scale factor)`);
  const variants = Object.fromEntries(
    adapters.map((adapter) => {
      const all = ['bare', CONTROL, ...FULL_VARIANTS[adapter].filter((v) => v !== 'bare')];
      return [adapter, only === undefined ? all : all.filter((v) => only.includes(v) || v === 'bare' || v === CONTROL)];
    }),
  ) as Record<AdapterName, string[]>;
  return {
    adapters,
    variants,
    batches: positiveInteger(argv, 'batches', 8),
    discard: Number(option(argv, 'discard') ?? 3),
    requests: { fastify: Math.round(1000 * scale), express: Math.round(500 * scale) },
    warmup: { fastify: 12000, express: 6000 },
    processes: positiveInteger(argv, 'processes', 1),
    parallel: positiveInteger(argv, 'parallel', Math.max(1, Math.min(2, cpus().length))),
    idleMs: 1000,
  };
}

/** `count` sequential GETs on one keep-alive connection; rejects on a wrong answer. */
async function sequential(url: string, count: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < count; i++) {
      const body = await new Promise<string>((resolve, reject) => {
        get(`${url}${ITEM_PATH}`, { agent }, (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve(text));
          response.on('error', reject);
        }).on('error', reject);
      });
      if (body !== ITEM_BODY) throw new Error(`${url}${ITEM_PATH} answered ${JSON.stringify(body)}`);
    }
  } finally {
    agent.destroy();
  }
}

async function control(pid: number, ...command: string[]): Promise<void> {
  await run('callgrind_control', [...command, String(pid)]);
}

/** NP_KEEP_CALLGRIND set: the dumps stay (in a np-callgrind-* directory under the temporary directory). */
const keepDumps = () => process.env.NP_KEEP_CALLGRIND !== undefined;

/**
 * Zeroes the counters, runs `job`, dumps, and returns the instructions counted without V8's compilers
 * (`compiled`: warm-up work that comes and goes in bursts) and the wall time.
 */
async function counted(server: ServerProcess, outDir: string, job: () => Promise<void>): Promise<{ instructions: number; compiled: number; wallMs: number; dump: string }> {
  const before = new Set(readdirSync(outDir));
  await control(server.pid, '--zero');
  const start = performance.now();
  await job();
  const wallMs = performance.now() - start;
  await control(server.pid, '--dump');
  const dumps = readdirSync(outDir).filter((name) => !before.has(name) && name.startsWith(`cg.${server.pid}.`));
  if (dumps.length !== 1) throw new Error(`${server.label}: expected one new callgrind dump, found ${dumps.length}`);
  const text = readFileSync(join(outDir, dumps[0] as string), 'utf8');
  if (!keepDumps()) rmSync(join(outDir, dumps[0] as string));
  const split = splitDump(text);
  // Inclusive costs along recursive call cycles can exceed the total (callgrind's known limit):
  // the compilers' share is capped at the total, never making the rest negative.
  const compiled = Math.min(split.compile, split.total);
  return { instructions: split.total - compiled, compiled, wallMs, dump: dumps[0] as string };
}

function extraNodeOptions(): string[] {
  return (process.env.NP_CALLGRIND_NODE_OPTIONS ?? '').split(' ').filter((flag) => flag !== '');
}

async function measureServer(adapter: AdapterName, variant: string, processIndex: number, options: InstructionOptions, outDir: string, log: (line: string) => void, kept: KeptServer[]): Promise<InstructionSample> {
  const label = `${adapter}/${variant}#${processIndex + 1}`;
  const server = await startServer({
    variant: variant === CONTROL ? 'bare' : variant,
    adapter,
    label,
    // Counting starts off (the warm-up runs at valgrind's uninstrumented speed); V8's compiler and
    // collector threads are folded into the main thread so their work lands in the same count.
    wrapper: ['valgrind', '--tool=callgrind', '--instr-atstart=no', `--callgrind-out-file=${join(outDir, 'cg.%p')}`],
    // Fixed hash and random seeds: the same hash-table layouts in every process, so two processes of
    // the same variant count the same.
    // NP_CALLGRIND_NODE_OPTIONS adds flags, e.g. `--perf-basic-prof` to name JIT code in kept dumps.
    nodeOptions: ['--single-threaded', '--min-semi-space-size=64', '--max-semi-space-size=64', '--hash-seed=1', '--random-seed=1', ...extraNodeOptions()],
    startTimeoutMs: 240_000,
  });
  try {
    await sequential(server.url, options.warmup[adapter]);
    await control(server.pid, '--instr=on');
    const requests = options.requests[adapter];
    const idleRate = async () => {
      const idle = await counted(server, outDir, () => new Promise((resolve) => setTimeout(resolve, options.idleMs)));
      return idle.instructions / idle.wallMs;
    };
    const idleRates = [await idleRate()];
    for (let batch = 0; batch < options.discard; batch++) {
      await sequential(server.url, requests);
      await server.minorGc();
    }
    const perRequest: number[] = [];
    const rawPerRequest: number[] = [];
    const compiledPerRequest: number[] = [];
    const batchWallMs: number[] = [];
    const dumps: string[] = [];
    for (let batch = 0; batch < options.batches; batch++) {
      const result = await counted(server, outDir, async () => {
        await sequential(server.url, requests);
        await server.minorGc();
      });
      rawPerRequest.push((result.instructions + result.compiled) / requests);
      compiledPerRequest.push(result.compiled / requests);
      perRequest.push(result.instructions / requests);
      batchWallMs.push(result.wallMs);
      dumps.push(result.dump);
      idleRates.push(await idleRate());
    }
    const idlePerMs = median(idleRates);
    for (let batch = 0; batch < perRequest.length; batch++) perRequest[batch]! -= (idlePerMs * batchWallMs[batch]!) / requests;
    await control(server.pid, '--instr=off');
    kept.push({ pid: server.pid, adapter, variant, process: processIndex, label, requestsPerBatch: requests, dumps });
    log(`${label}: ${Math.round(median(perRequest)).toLocaleString('en-US')} instructions/request`);
    log(`${label}: idle k instructions/s ${idleRates.map((rate) => (rate).toFixed(0)).join(' ')}`);
    return { variant, process: processIndex, perRequest, rawPerRequest, compiledPerRequest, idlePerMs, idleRates, wallMsPerRequest: batchWallMs.reduce((sum, ms) => sum + ms, 0) / (requests * options.batches) };
  } finally {
    await server.stop();
    // V8 writes the map (with --perf-basic-prof) to /tmp whatever TMPDIR says; a copy beside the
    // dumps keeps it from being overwritten by a later process that gets the same pid.
    const perfMap = `/tmp/perf-${server.pid}.map`;
    if (keepDumps() && existsSync(perfMap)) copyFileSync(perfMap, join(outDir, `perf-${server.pid}.map`));
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function runInstructions(options: InstructionOptions, log: (line: string) => void): Promise<InstructionRun> {
  const started = Date.now();
  const loadBefore = loadavg()[0] as number;
  const { stdout: valgrind } = await run('valgrind', ['--version']);
  const outDir = mkdtempSync(join(tmpdir(), 'np-callgrind-'));
  const jobs: { adapter: AdapterName; variant: string; process: number }[] = [];
  for (let p = 0; p < options.processes; p++) {
    for (const adapter of options.adapters) for (const variant of options.variants[adapter]) jobs.push({ adapter, variant, process: p });
  }
  const samples: Record<string, InstructionSample[]> = {};
  const kept: KeptServer[] = [];
  try {
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const sample = await measureServer(job.adapter, job.variant, job.process, options, outDir, log, kept);
        (samples[job.adapter] ??= []).push(sample);
      }
    };
    await Promise.all(Array.from({ length: options.parallel }, worker));
  } finally {
    if (!keepDumps()) rmSync(outDir, { recursive: true, force: true });
    else {
      // The servers that finished, each with its counted batches' dumps (not the idle stretch's, nor
      // the one callgrind writes at exit): what attribute.js needs to compare two variants.
      const index: KeptRun = { nodeOptions: extraNodeOptions(), servers: kept };
      writeFileSync(join(outDir, KEPT_INDEX), `${JSON.stringify(index, null, 1)}\n`);
      log(`callgrind dumps kept in ${outDir} (${KEPT_INDEX} lists them)`);
    }
  }
  return { options, startedAt: new Date(started).toISOString(), seconds: (Date.now() - started) / 1000, loadBefore, loadAfter: loadavg()[0] as number, valgrind: valgrind.trim(), samples };
}

/** Every batch of every process of a variant (idle rate subtracted), in schedule order. */
export function batchesOf(run: InstructionRun, adapter: string, variant: string): number[] {
  return (run.samples[adapter] ?? [])
    .filter((s) => s.variant === variant)
    .sort((a, b) => a.process - b.process)
    .flatMap((s) => s.perRequest);
}

/** Median instructions per request of a variant over its batches, with p25 … p75. */
export function level(run: InstructionRun, adapter: string, variant: string): Spread {
  return spread(batchesOf(run, adapter, variant));
}

/** Added instructions per request of `variant` over `base`: median and IQR of the differences of batches with the same index. */
export function addedInstructions(run: InstructionRun, adapter: string, variant: string, base = 'bare'): Spread {
  const a = batchesOf(run, adapter, variant);
  const b = batchesOf(run, adapter, base);
  return spread(a.slice(0, Math.min(a.length, b.length)).map((value, i) => value - (b[i] as number)));
}

/**
 * Added instructions per request of `variant` over `base`, cheapest batch against cheapest batch: a
 * batch that holds a major collection costs up to 200k more per request, a regression raises all.
 */
export function cheapestAdded(run: InstructionRun, adapter: string, variant: string, base = 'bare'): number {
  return Math.min(...batchesOf(run, adapter, variant)) - Math.min(...batchesOf(run, adapter, base));
}

const k = (n: number) => (n / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signedK = (n: number) => `${n >= 0 ? '+' : '−'}${k(Math.abs(n))}`;
const spreadK = (s: Spread) => `${signedK(s.median)} (${signedK(s.p25)} … ${signedK(s.p75)})`;

/** The decomposition steps: each variant against the one before it (the last one on Fastify only). */
const COMMON_STEPS: readonly [string, string, string][] = [
  ['module without HTTP (registry, `/metrics` route)', 'np-nohttp', 'bare'],
  ['adapter hooks + per-request state', 'np-hooks', 'np-nohttp'],
  ['handler wrapper', 'np-wrapper', 'np-hooks'],
  ['recorder (labels, observation)', 'np-recorder', 'np-wrapper'],
  ['store', 'np-nodm', 'np-recorder'],
  ['default metrics (event-loop monitor, GC observer)', 'np', 'np-nodm'],
];
const STORE_STEP: [string, string, string] = ['writing the plain store instead of one counter (store floor − floor)', 'floor-store', 'floor'];
const STEPS: Record<AdapterName, readonly [string, string, string][]> = {
  fastify: [
    ...COMMON_STEPS,
    STORE_STEP,
    ['the store found by a built string key instead (floor-key − floor-store)', 'floor-key', 'floor-store'],
    ['recording the inputs of all 19 families instead (data floor − store floor)', 'floor-data', 'floor-store'],
    ['`forRoot()` over the data floor (np − floor-data)', 'np', 'floor-data'],
    ['Fastify `onRequestAbort` hook (on the floor)', 'floor-abort', 'floor'],
    ['saved by `http.countAbortedRequests: false` (`forRoot()` − the same with the option)', 'np', 'np-noabort'],
  ],
  express: [...COMMON_STEPS, STORE_STEP],
};

export function instructionMarkdown(run: InstructionRun, command: string): string {
  const lines: string[] = [];
  const { options } = run;
  lines.push(
    `#### Instruction-count run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC (${Math.round(run.seconds)} s)`,
    '',
    `Command: \`${command}\`. ${run.valgrind}, Node.js ${process.version}; load average (1 min) ${run.loadBefore.toFixed(2)} before, ${run.loadAfter.toFixed(2)} after. ` +
      `Each server under callgrind (\`node --single-threaded\`), ${options.processes} process(es) per variant plus a second bare server (A/A control); ` +
      `warm-up ${options.adapters.map((a) => `${options.warmup[a]} (${a})`).join(' / ')} requests uncounted, ${options.discard} batches discarded, then ${options.batches} batches of ${options.adapters.map((a) => `${options.requests[a]} (${a})`).join(' / ')} sequential keep-alive requests and one scavenge; ` +
      `instructions per request without V8's compilers (warm-up work, reported in the last column), the idle rate (timers; the median of an idle stretch of ${options.idleMs} ms before the batches and one after each) subtracted in proportion to each batch's wall time. Levels: median (p25 … p75) over batches; added: median (p25 … p75) of the differences between batches with the same index.`,
    '',
  );
  for (const adapter of options.adapters) {
    const rows = options.variants[adapter].map((variant) => {
      const l = level(run, adapter, variant);
      const a = variant === 'bare' ? undefined : addedInstructions(run, adapter, variant);
      const samples = (run.samples[adapter] ?? []).filter((s) => s.variant === variant);
      const idle = median(samples.map((s) => s.idlePerMs));
      const stretches = samples.flatMap((s) => s.idleRates ?? [s.idlePerMs]);
      const correction = median(samples.map((s) => s.idlePerMs * s.wallMsPerRequest));
      const compiled = median(samples.flatMap((s) => s.compiledPerRequest));
      return [
        variant === CONTROL ? 'bare NestJS, second process (A/A control)' : (VARIANT_TEXT[variant] ?? variant),
        `${k(l.median)} (${k(l.p25)} … ${k(l.p75)})`,
        a === undefined ? '–' : spreadK(a),
        `${k(idle * 1000)} (${k(Math.min(...stretches) * 1000)} … ${k(Math.max(...stretches) * 1000)})`,
        k(correction),
        k(compiled),
      ];
    });
    lines.push(`**${adapter}** (thousands of instructions)`, '', table(['variant', 'k instr/request', 'added vs bare', 'idle k instr/s, median (least … most of the stretches)', 'idle rate subtracted, k instr/request', 'compilers, k instr/request (median)'], rows, ['l', 'r', 'r', 'r', 'r', 'r']), '');
  }
  const steps = options.adapters.map((adapter) => STEPS[adapter].filter(([, a, b]) => options.variants[adapter].includes(a) && options.variants[adapter].includes(b)));
  if (steps.some((s) => s.length > 0)) {
    const parts = [...new Set(steps.flat().map(([part]) => part))];
    const rows = parts.map((part) => [
      part,
      ...options.adapters.map((adapter) => {
        const step = STEPS[adapter].find(([p]) => p === part);
        if (step === undefined || !options.variants[adapter].includes(step[1]) || !options.variants[adapter].includes(step[2])) return '–';
        const a = addedInstructions(run, adapter, step[1], step[2]);
        return spreadK(a);
      }),
    ]);
    lines.push('**Decomposition** (added k instructions per request, each step against the one before)', '', table(['part', ...options.adapters], rows, ['l', ...options.adapters.map(() => 'r' as const)]), '');
  }
  const verdicts = options.adapters
    .filter((adapter) => options.variants[adapter].includes('floor') && options.variants[adapter].includes('np'))
    .map((adapter) => {
      const np = addedInstructions(run, adapter, 'np');
      const floor = addedInstructions(run, adapter, 'floor');
      const ratio = np.median / floor.median;
      const control = options.variants[adapter].includes(CONTROL) ? addedInstructions(run, adapter, CONTROL) : undefined;
      // `forRoot()` against another floor of the run, when the run has it.
      const against = (variant: string, name: string): string => {
        if (!options.variants[adapter].includes(variant)) return '';
        const other = addedInstructions(run, adapter, variant);
        return `; ${name} ${spreadK(other)}k: ${(np.median / other.median).toFixed(2)}× ${name}`;
      };
      const storeRatio = against('floor-store', 'the store floor');
      const dataRatio = against('floor-data', 'the data floor');
      return `- ${adapter}: forRoot() adds ${spreadK(np)}k, the floor ${spreadK(floor)}k instructions per request: ${ratio.toFixed(2)}× the floor (target ≤ 1.5×: ${ratio <= 1.5 && floor.median > 0 ? 'met' : '**not met**'})${storeRatio}${dataRatio}${control === undefined ? '' : `; A/A control ${spreadK(control)}k`}`;
    });
  if (verdicts.length > 0) lines.push(...verdicts, '');
  return lines.join('\n');
}

export async function instructionsMain(argv: readonly string[]): Promise<InstructionRun> {
  const options = instructionOptions(argv);
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[instructions ${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
  const result = await runInstructions(options, log);
  const command = `node build/bench/pinned/instructions.js${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
  const markdown = instructionMarkdown(result, command);
  const out = option(argv, 'out') ?? fileURLToPath(new URL('../RESULTS.instructions.md', import.meta.url));
  const json = option(argv, 'json') ?? fileURLToPath(new URL('../instructions.json', import.meta.url));
  for (const [file, text] of [[out, `${markdown}\n`], [json, JSON.stringify(result, null, 1)]] as const) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  process.stdout.write(`${markdown}\n`);
  return result;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  instructionsMain(process.argv.slice(2))
    .then(() => stopAllServers())
    .catch(async (error: unknown) => {
      process.stderr.write(`instruction bench failed: ${(error as Error).stack ?? String(error)}\n`);
      await stopAllServers();
      process.exitCode = 1;
    });
}

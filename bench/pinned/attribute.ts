// Where do a variant's added instructions go? `node build/bench/pinned/attribute.js <kept-dir>
// --adapter=fastify --base=floor-abort --variant=np [--top=40] [--callers=<regex>]` reads the dumps an
// instruction-count run kept (NP_KEEP_CALLGRIND=1; see docs/benchmarks.md) and prints, per request,
// each function's self cost in both variants and the difference, largest differences first.
// V8's JIT code has no symbols: callgrind names it by address (`0x…`). Run with
// NP_CALLGRIND_NODE_OPTIONS="--perf-basic-prof --no-compact-code-space" and V8 writes
// /tmp/perf-<pid>.map (`<hex start> <hex size> <name>`), which names those addresses (instructions.js
// copies it beside the dumps). Addresses no entry covers, and entries for interpreted code (marker
// `~`: bytecode, which is not where instructions run, so a match is a reused address), are folded
// into one row; the compilers' and parser's own functions into another (their instructions are
// warm-up, left out of the benchmark's figure).
// --callers=<regex>: the inclusive cost of the calls into the functions whose name matches, by
// caller; a caller that is not JS (a builtin, the runtime) is followed up through its heaviest caller,
// at most three steps, to reach the JS function behind it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { table } from '../support/markdown.js';
import { add, compileOf, isCompiler, KEPT_INDEX, parseDump, type DumpProfile, type KeptRun, type KeptServer } from './callgrind-dump.js';

export const UNMAPPED = '(interpreted JS or unmapped JIT code)';
export const COMPILERS = "(V8's compilers and parser, own code)";

/** A perf map: V8's JIT code ranges and their names. */
export class PerfMap {
  /** By start address; `order` is the line number (a later entry for the same address is newer code). */
  private readonly entries: { start: number; end: number; name: string; order: number }[] = [];
  private readonly largest: number = 0;

  constructor(text: string) {
    let order = 0;
    for (const line of text.split('\n')) {
      const first = line.indexOf(' ');
      const second = line.indexOf(' ', first + 1);
      if (first < 0 || second < 0) continue;
      const start = Number.parseInt(line.slice(0, first), 16);
      const size = Number.parseInt(line.slice(first + 1, second), 16);
      if (!Number.isFinite(start) || !Number.isFinite(size)) continue;
      this.entries.push({ start, end: start + size, name: line.slice(second + 1), order: order++ });
      if (size > this.largest) this.largest = size;
    }
    this.entries.sort((a, b) => a.start - b.start || a.order - b.order);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The newest entry covering `address`, if any. */
  lookup(address: number): string | undefined {
    let low = 0;
    let high = this.entries.length; // first entry starting after `address`
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((this.entries[mid] as { start: number }).start <= address) low = mid + 1;
      else high = mid;
    }
    let best: { name: string; order: number } | undefined;
    for (let i = low - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.start < address - this.largest) break;
      if (address < entry.end && (best === undefined || entry.order > best.order)) best = entry;
    }
    return best?.name;
  }
}

/** A callgrind function name as a row: JIT addresses named through the map, folded rows for the rest. */
export function rowName(raw: string, map: PerfMap): string {
  const name = raw.replace(/'\d+$/, ''); // callgrind's recursion levels (`f'2`) count as `f`
  const jit = /^0x([0-9a-f]+)$/i.exec(name);
  if (jit !== null) {
    const mapped = map.lookup(Number.parseInt(jit[1] as string, 16));
    return mapped === undefined || /^\w+:~/.test(mapped) ? UNMAPPED : mapped;
  }
  return isCompiler(name) ? COMPILERS : name;
}

/** A variant's batches added up: instructions (not per request) by row. */
export interface Profile {
  readonly servers: number;
  readonly batches: number;
  readonly requests: number;
  readonly total: number;
  /** Inclusive cost of the calls into V8's compilers (what the benchmark's figure leaves out). */
  readonly compile: number;
  readonly self: Map<string, number>;
  readonly calls: Map<string, Map<string, number>>;
}

export function emptyProfile(): Profile {
  return { servers: 0, batches: 0, requests: 0, total: 0, compile: 0, self: new Map(), calls: new Map() };
}

/** Adds one dump (of a server whose JIT code `map` names) to `profile`. */
export function addDump(profile: Profile, dump: DumpProfile, map: PerfMap, requests: number): Profile {
  const names = new Map<string, string>();
  const name = (raw: string) => {
    let row = names.get(raw);
    if (row === undefined) names.set(raw, (row = rowName(raw, map)));
    return row;
  };
  for (const [fn, cost] of dump.self) add(profile.self, name(fn), cost);
  for (const [caller, callees] of dump.calls) {
    const row = name(caller);
    let into = profile.calls.get(row);
    if (into === undefined) profile.calls.set(row, (into = new Map()));
    for (const [callee, cost] of callees) add(into, name(callee), cost);
  }
  const compile = Math.min(compileOf(dump), dump.total); // as instructions.ts caps it
  return { ...profile, batches: profile.batches + 1, requests: profile.requests + requests, total: profile.total + dump.total, compile: profile.compile + compile };
}

function fail(message: string): never {
  throw Object.assign(new Error(message), { usage: true });
}

function readIndex(dir: string): KeptRun {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${dir}: no such directory (the run prints "callgrind dumps kept in …" when NP_KEEP_CALLGRIND is set)`);
  const path = join(dir, KEPT_INDEX);
  if (!existsSync(path)) fail(`${path} is missing: the dumps were not kept by instructions.js with NP_KEEP_CALLGRIND=1, or the run stopped before it wrote the index`);
  return JSON.parse(readFileSync(path, 'utf8')) as KeptRun;
}

function perfMapOf(dir: string, server: KeptServer, command: string | undefined, warn: (line: string) => void): PerfMap {
  if (command !== undefined && !command.includes('--perf-basic-prof')) {
    fail(`${server.label} (pid ${server.pid}) ran without --perf-basic-prof, so its JIT code cannot be named: rerun with NP_CALLGRIND_NODE_OPTIONS="--perf-basic-prof --no-compact-code-space"`);
  }
  if (command !== undefined && !command.includes('--no-compact-code-space')) warn(`${server.label} ran without --no-compact-code-space: code moved by a compacting collection keeps its old name in the perf map`);
  const beside = join(dir, `perf-${server.pid}.map`);
  const path = existsSync(beside) ? beside : `/tmp/perf-${server.pid}.map`;
  if (!existsSync(path)) fail(`no perf map for ${server.label} (pid ${server.pid}): neither ${beside} nor ${path} exists`);
  if (path !== beside) warn(`${server.label}: using ${path} (not copied beside the dumps): a later process with the same pid would have overwritten it`);
  return new PerfMap(readFileSync(path, 'utf8'));
}

/** Every counted batch of every process of `variant`, added up. */
export function loadProfile(dir: string, index: KeptRun, adapter: string, variant: string, warn: (line: string) => void): Profile {
  const servers = index.servers.filter((s) => s.adapter === adapter && s.variant === variant);
  if (servers.length === 0) {
    const known = [...new Set(index.servers.filter((s) => s.adapter === adapter).map((s) => s.variant))];
    fail(`no ${adapter} server of variant "${variant}" in ${join(dir, KEPT_INDEX)}; ${known.length === 0 ? `no ${adapter} servers at all (adapters: ${[...new Set(index.servers.map((s) => s.adapter))].join(', ')})` : `variants: ${known.join(', ')}`}`);
  }
  let profile = emptyProfile();
  for (const server of servers) {
    let map: PerfMap | undefined;
    for (const file of server.dumps) {
      const path = join(dir, file);
      if (!existsSync(path)) fail(`${path} (listed for ${server.label}) is missing`);
      const dump = parseDump(readFileSync(path, 'utf8'));
      map ??= perfMapOf(dir, server, dump.command, warn);
      profile = addDump(profile, dump, map, server.requestsPerBatch);
    }
    profile = { ...profile, servers: profile.servers + 1 };
  }
  return profile;
}

/** The calls into rows matching `pattern`, by (callee, caller chain): inclusive instructions. */
export function callerBreakdown(profile: Profile, pattern: RegExp): Map<string, number> {
  const callersOf = new Map<string, Map<string, number>>();
  for (const [caller, callees] of profile.calls) {
    for (const [callee, cost] of callees) {
      if (caller === callee) continue; // recursion
      let callers = callersOf.get(callee);
      if (callers === undefined) callersOf.set(callee, (callers = new Map()));
      add(callers, caller, cost);
    }
  }
  const isJs = (name: string) => name.startsWith('JS:') || name === UNMAPPED || name === COMPILERS;
  const result = new Map<string, number>();
  for (const [callee, callers] of callersOf) {
    if (!pattern.test(callee)) continue;
    for (const [caller, cost] of callers) {
      const chain = [caller];
      for (let cur = caller; !isJs(cur) && chain.length < 4; ) {
        let heaviest: [string, number] | undefined;
        for (const [up, upCost] of callersOf.get(cur) ?? []) if (!chain.includes(up) && up !== callee && (heaviest === undefined || upCost > heaviest[1])) heaviest = [up, upCost];
        if (heaviest === undefined) break;
        chain.push((cur = heaviest[0]));
      }
      add(result, [callee, ...chain].map(brief).join(' ← '), cost);
    }
  }
  return result;
}

function short(name: string, width: number): string {
  return name.length <= width ? name : `${name.slice(0, width - 1)}…`;
}

/** A name short enough for a chain: C++ functions without their parameters. */
function brief(name: string): string {
  if (name.startsWith('JS:') || name.startsWith('(')) return short(name, 120);
  const plain = name.replace(/\(anonymous namespace\)/g, '{anonymous}');
  const open = plain.indexOf('(');
  return short(open > 0 ? `${plain.slice(0, open)}()` : plain, 90);
}

const cell = (name: string, width = 160) => `\`${short(name, width).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
const fixed = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${fixed(Math.abs(n))}`;

/** Both profiles' rows per request and their difference: the `top` largest differences, or the `top` rows largest in the variant. */
function compare(base: Map<string, number>, baseRequests: number, variant: Map<string, number>, variantRequests: number, top: number, order: 'difference' | 'variant', width?: number): { rows: string[][]; restBase: number; restVariant: number } {
  const keys = [...new Set([...base.keys(), ...variant.keys()])].map((key) => {
    const b = (base.get(key) ?? 0) / baseRequests;
    const v = (variant.get(key) ?? 0) / variantRequests;
    return { key, b, v, d: v - b };
  });
  keys.sort(order === 'difference' ? (x, y) => Math.abs(y.d) - Math.abs(x.d) : (x, y) => y.v - x.v);
  const shown = keys.slice(0, top);
  const rest = keys.slice(top);
  return {
    rows: shown.map(({ key, b, v, d }) => [signed(d), fixed(b), fixed(v), cell(key, width)]),
    restBase: rest.reduce((sum, r) => sum + r.b, 0),
    restVariant: rest.reduce((sum, r) => sum + r.v, 0),
  };
}

export interface AttributeOptions {
  readonly dir: string;
  readonly adapter: string | undefined;
  readonly base: string;
  readonly variant: string;
  readonly top: number;
  readonly callers: RegExp | undefined;
}

export function attributeOptions(argv: readonly string[]): AttributeOptions {
  const option = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const dirs = argv.filter((arg) => !arg.startsWith('--'));
  if (dirs.length !== 1) fail('usage: attribute.js <kept-dir> [--adapter=fastify] [--base=bare] [--variant=np] [--top=40] [--callers=<regex>]');
  const top = Number(option('top') ?? 40);
  if (!Number.isInteger(top) || top < 1) fail(`--top: "${option('top')}" is not a positive integer`);
  const callers = option('callers');
  let pattern: RegExp | undefined;
  try {
    pattern = callers === undefined ? undefined : new RegExp(callers);
  } catch (error) {
    fail(`--callers: ${(error as Error).message}`);
  }
  return { dir: dirs[0] as string, adapter: option('adapter'), base: option('base') ?? 'bare', variant: option('variant') ?? 'np', top, callers: pattern };
}

export function attribute(options: AttributeOptions, warn: (line: string) => void): string {
  const index = readIndex(options.dir);
  const adapters = [...new Set(index.servers.map((s) => s.adapter))];
  const adapter = options.adapter ?? (adapters.length === 1 ? adapters[0] : undefined);
  if (adapter === undefined) fail(`--adapter: the run measured ${adapters.length === 0 ? 'no servers' : adapters.join(' and ')}; name one`);
  const base = loadProfile(options.dir, index, adapter, options.base, warn);
  const variant = loadProfile(options.dir, index, adapter, options.variant, warn);
  const per = (p: Profile, n: number) => n / p.requests;
  const lines: string[] = [];
  const describe = (name: string, p: Profile) => `${name}: ${p.servers} process(es), ${p.batches} batches, ${p.requests.toLocaleString('en-US')} requests`;
  lines.push(
    `**${adapter}: ${options.variant} against ${options.base}**, instructions per request (${describe(options.base, base)}; ${describe(options.variant, variant)}). ` +
      'Means over the batches (the benchmark takes medians: a batch holding a major collection weighs in here), the idle rate (timers) not subtracted, the compilers subtracted on the last line only. ' +
      'Self cost: instructions executed in the function itself.',
    '',
    table(
      ['', options.base, options.variant, 'difference'],
      [
        ['counted', fixed(per(base, base.total)), fixed(per(variant, variant.total)), signed(per(variant, variant.total) - per(base, base.total))],
        ["V8's compilers (inclusive)", fixed(per(base, base.compile)), fixed(per(variant, variant.compile)), signed(per(variant, variant.compile) - per(base, base.compile))],
        ['counted without compilers', fixed(per(base, base.total - base.compile)), fixed(per(variant, variant.total - variant.compile)), signed(per(variant, variant.total - variant.compile) - per(base, base.total - base.compile))],
      ],
      ['l', 'r', 'r', 'r'],
    ),
    '',
  );
  const self = compare(base.self, base.requests, variant.self, variant.requests, options.top, 'difference');
  lines.push(
    `**Self cost by function**, the ${options.top} largest differences (rows add up to "counted")`,
    '',
    table(
      ['difference', options.base, options.variant, 'function'],
      [...self.rows, [signed(self.restVariant - self.restBase), fixed(self.restBase), fixed(self.restVariant), '(the other functions)']],
      ['r', 'r', 'r', 'l'],
    ),
    '',
  );
  if (options.callers !== undefined) {
    const calls = compare(callerBreakdown(base, options.callers), base.requests, callerBreakdown(variant, options.callers), variant.requests, options.top, 'variant', 600);
    lines.push(
      `**Calls into /${options.callers.source}/ by caller**, inclusive instructions per request, heaviest in ${options.variant} first (callee ← caller ← its heaviest caller …, up to a JS function; a call between two matching functions counts for both)`,
      '',
      calls.rows.length === 0 ? `no function matches /${options.callers.source}/` : table(['difference', options.base, options.variant, 'callee ← callers'], calls.rows, ['r', 'r', 'r', 'l']),
      '',
    );
  }
  return lines.join('\n');
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.stdout.write(`${attribute(attributeOptions(process.argv.slice(2)), (line) => process.stderr.write(`attribute: ${line}\n`))}\n`);
  } catch (error) {
    const usage = (error as { usage?: boolean }).usage === true;
    process.stderr.write(`attribute: ${usage ? (error as Error).message : ((error as Error).stack ?? String(error))}\n`);
    process.exitCode = 1;
  }
}

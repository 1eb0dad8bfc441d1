// Reads callgrind dumps (event `Ir`). `splitDump` tells how many of a dump's instructions V8's
// compilers ran. That work is warm-up: it comes in bursts whose timing moves with valgrind's slow
// motion, so the instruction benchmark leaves it out of the per-request figure (and reports it
// beside). `parseDump` gives each function's self cost and the calls between functions, for
// attribute.ts, which compares where two variants spend their instructions.
// Format (https://valgrind.org/docs/manual/cl-format.html): `fn=` starts a function's block, names
// compressed as `(id) name` the first time and `(id)` after (one table for `fn=` and `cfn=`); cost
// lines are `<positions> <costs>`; `cfn=` names the callee of the next `calls=` line, and the cost
// line right after `calls=` holds that call's inclusive cost, not the caller's self cost.
// The compilers' share is the inclusive cost of the calls that enter them from outside, so nested
// calls are counted once.

/** V8's optimising, baseline and lazy compilers, the parser they run, and deoptimisation. */
const COMPILE = /v8::internal::(?:compiler::|Compiler::|\(anonymous namespace\)::(?:GetOrCompileOptimized|PrepareJobWithHandleScope|CompileTurbofan)|OptimizedCompilationJob|TurbofanCompilationJob|OptimizedCompilationInfo|CompilationJob|BaselineBatchCompiler|baseline::|maglev::|Runtime_Compile|Runtime_InstallBaselineCode|Runtime_NotifyDeoptimized|Deoptimizer|TranslatedState|TranslatedFrame|interpreter::|Parser|PreParser|ParserBase|parsing::|Scanner|AstNodeFactory|DeclarationScope|Scope::)/;

export function isCompiler(name: string): boolean {
  return COMPILE.test(name);
}

export interface DumpSplit {
  readonly total: number;
  readonly compile: number;
}

export interface DumpProfile {
  /** The dump's `summary:` (or `totals:`) instructions. */
  readonly total: number;
  /** The `cmd:` header: the command line of the process. */
  readonly command: string | undefined;
  /** Function → instructions executed in the function itself. */
  readonly self: Map<string, number>;
  /** Caller → callee → inclusive instructions of the calls (all call sites added). */
  readonly calls: Map<string, Map<string, number>>;
}

/** Adds `value` at `key` of a counting map. */
export function add<K>(map: Map<K, number>, key: K, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export function parseDump(text: string): DumpProfile {
  const names = new Map<string, string>(); // compressed id "(12)" → name
  const resolve = (spec: string): string => {
    const match = /^(\(\d+\))(?: (.*))?$/.exec(spec.trim());
    if (match === null) return spec.trim();
    if (match[2] !== undefined) names.set(match[1] as string, match[2]);
    return names.get(match[1] as string) ?? spec;
  };
  let positions = 1; // `positions: line` (or `instr line`): columns before the costs
  let event = 0; // the column of Ir among `events:`
  /** The Ir of a cost line; a cost left off at the end of the line is zero. */
  const costOf = (line: string): number => {
    const fields = line.trim().split(/\s+/);
    return Number(fields[positions + event] ?? 0);
  };
  let total = Number.NaN;
  let command: string | undefined;
  let fn = '';
  let callee = '';
  let expectCallCost = false;
  const self = new Map<string, number>();
  const calls = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const first = line.charCodeAt(0);
    const costLine = (first >= 48 && first <= 57) || line[0] === '+' || line[0] === '-' || line[0] === '*';
    if (expectCallCost && costLine) {
      expectCallCost = false;
      let callees = calls.get(fn);
      if (callees === undefined) calls.set(fn, (callees = new Map()));
      add(callees, callee, costOf(line));
    } else if (costLine) add(self, fn, costOf(line));
    else if (line.startsWith('fn=')) fn = resolve(line.slice(3));
    else if (line.startsWith('cfn=')) callee = resolve(line.slice(4));
    else if (line.startsWith('calls=')) expectCallCost = true;
    else if (line.startsWith('totals:') || line.startsWith('summary:')) total = Number(line.slice(line.indexOf(':') + 1).trim().split(/\s+/)[event]);
    else if (line.startsWith('positions:')) positions = line.slice(10).trim().split(/\s+/).length;
    else if (line.startsWith('events:')) event = Math.max(0, line.slice(7).trim().split(/\s+/).indexOf('Ir'));
    else if (line.startsWith('cmd:')) command = line.slice(4).trim();
  }
  if (!Number.isFinite(total)) throw new Error('no totals line in the callgrind dump');
  return { total, command, self, calls };
}

export function splitDump(text: string): DumpSplit {
  const dump = parseDump(text);
  return { total: dump.total, compile: compileOf(dump) };
}

/** The inclusive cost of the calls that enter V8's compilers from outside them. */
export function compileOf({ calls }: DumpProfile): number {
  let compile = 0;
  for (const [caller, callees] of calls) {
    if (isCompiler(caller)) continue;
    for (const [callee, cost] of callees) if (isCompiler(callee)) compile += cost;
  }
  return compile;
}

/** The index instructions.js writes beside kept dumps (NP_KEEP_CALLGRIND). */
export const KEPT_INDEX = 'variants.json';

export interface KeptRun {
  /** The flags NP_CALLGRIND_NODE_OPTIONS added to every server. */
  readonly nodeOptions: readonly string[];
  readonly servers: readonly KeptServer[];
}

/** One measured server process. */
export interface KeptServer {
  readonly pid: number;
  readonly adapter: string;
  readonly variant: string;
  /** 0 for the first process of a variant (--processes). */
  readonly process: number;
  readonly label: string;
  readonly requestsPerBatch: number;
  /** The dump files of the counted batches, in order (not the idle stretch's, nor the one at exit). */
  readonly dumps: readonly string[];
}

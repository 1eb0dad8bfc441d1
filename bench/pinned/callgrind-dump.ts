// Reads a callgrind dump (one event, `Ir`) and tells how many of its instructions V8's compilers
// ran. That work is warm-up: it comes in bursts whose timing moves with valgrind's slow motion, so
// the instruction benchmark leaves it out of the per-request figure (and reports it beside).
// A call's cost line holds its inclusive cost; the compilers' share is the inclusive cost of the
// calls that enter them from outside, so nested calls are counted once.

/** V8's optimising, baseline and lazy compilers, the parser they run, and deoptimisation. */
const COMPILE = /v8::internal::(?:compiler::|Compiler::|\(anonymous namespace\)::(?:GetOrCompileOptimized|PrepareJobWithHandleScope|CompileTurbofan)|OptimizedCompilationJob|TurbofanCompilationJob|OptimizedCompilationInfo|CompilationJob|BaselineBatchCompiler|baseline::|maglev::|Runtime_Compile|Runtime_InstallBaselineCode|Runtime_NotifyDeoptimized|Deoptimizer|TranslatedState|TranslatedFrame|interpreter::|Parser|PreParser|ParserBase|parsing::|Scanner|AstNodeFactory|DeclarationScope|Scope::)/;

export function isCompiler(name: string): boolean {
  return COMPILE.test(name);
}

export interface DumpSplit {
  readonly total: number;
  readonly compile: number;
}

/** The last number of a cost line (`<position> <Ir>`, positions possibly relative: `+3`, `-2`, `*`). */
function costOf(line: string): number {
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}

export function splitDump(text: string): DumpSplit {
  const names = new Map<string, string>(); // compressed id "(12)" → name
  const resolve = (spec: string): string => {
    const match = /^(\(\d+\))(?: (.*))?$/.exec(spec.trim());
    if (match === null) return spec.trim();
    if (match[2] !== undefined) names.set(match[1] as string, match[2]);
    return names.get(match[1] as string) ?? spec;
  };
  let total = Number.NaN;
  let insideCompiler = false;
  let calleeIsCompiler = false;
  let expectCallCost = false;
  let compile = 0;
  for (const line of text.split('\n')) {
    if (expectCallCost) {
      // The line after `calls=` holds the call's inclusive cost.
      expectCallCost = false;
      if (!insideCompiler && calleeIsCompiler) compile += costOf(line);
      continue;
    }
    if (line.startsWith('fn=')) insideCompiler = isCompiler(resolve(line.slice(3)));
    else if (line.startsWith('cfn=')) calleeIsCompiler = isCompiler(resolve(line.slice(4)));
    else if (line.startsWith('calls=')) expectCallCost = true;
    else if (line.startsWith('totals:') || line.startsWith('summary:')) total = Number(line.slice(line.indexOf(':') + 1).trim().split(' ')[0]);
  }
  if (!Number.isFinite(total)) throw new Error('no totals line in the callgrind dump');
  return { total, compile };
}

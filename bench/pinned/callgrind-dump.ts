// Reads a callgrind dump (one event, `Ir`) and splits its instructions into the compiler's, the
// garbage collector's and the rest (the program's own work: JavaScript, Node.js, libuv, the kernel
// interface). A category's cost is the inclusive cost of the calls that enter it from outside both
// categories, so nested calls are counted once: a scavenge inside a compile counts as compile.
import { readFileSync } from 'node:fs';

export type Category = 'compile' | 'gc' | 'rest';

/**
 * V8's optimising, baseline and lazy compilers, the parser they run and deoptimisation: warm-up work,
 * which under valgrind's slow motion goes on for thousands of requests.
 */
const COMPILE = /v8::internal::(?:compiler::|Compiler::|\(anonymous namespace\)::(?:GetOrCompileOptimized|PrepareJobWithHandleScope|CompileTurbofan)|OptimizedCompilationJob|TurbofanCompilationJob|OptimizedCompilationInfo|CompilationJob|BaselineBatchCompiler|baseline::|maglev::|Runtime_Compile|Runtime_InstallBaselineCode|Runtime_NotifyDeoptimized|Deoptimizer|TranslatedState|TranslatedFrame|interpreter::|Parser|PreParser|ParserBase|parsing::|Scanner|AstNodeFactory|DeclarationScope|Scope::|FeedbackCell|TransitionsAccessor::TraverseTransitionTree)/;
/**
 * V8's garbage collector: minor and major collections, incremental marking, sweeping, their tasks,
 * and the visitors and job runners they call (so no collector work sits under a frame of "rest"
 * inside a collection, which would count it twice).
 */
const GC = /v8::internal::(?:Heap::|HeapAllocator::CollectGarbage|IncrementalMarking|MarkCompact|MinorMarkCompact|ScavengerCollector|Scavenger|ScavengeJob|MinorGCJob|MemoryReducer|Sweeper|ConcurrentMarking|GCTracer|[A-Za-z]*Visitor|BodyDescriptor|\(anonymous namespace\)::IterateObjectCache|GlobalHandles|TracedHandles|EvacuationAllocator|Evacuat|Marking|MemoryAllocator|LocalHeap::|ArrayBufferSweeper|StringTable::Iterate|Isolate::Iterate|HandleScopeImplementer::Iterate|Builtins::Iterate|ThreadManager::Iterate)|v8::platform::DefaultJobState|heap::base::|cppgc::|EmbedderGraph|node::.*(?:Weak|PerformanceObserver|MarkGarbageCollection)/;

export function categoryOf(name: string): Category {
  if (COMPILE.test(name)) return 'compile';
  if (GC.test(name)) return 'gc';
  return 'rest';
}

export interface DumpSplit {
  readonly total: number;
  readonly compile: number;
  readonly gc: number;
  readonly rest: number;
}

/** The last number of a cost line (`<position> <Ir>`, positions possibly relative: `+3`, `-2`, `*`). */
function costOf(line: string): number {
  const space = line.lastIndexOf(' ');
  return Number(line.slice(space + 1));
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
  let current: Category = 'rest';
  let callee: Category | undefined;
  let expectCallCost = false;
  const entered = { compile: 0, gc: 0 };
  for (const line of text.split('\n')) {
    if (expectCallCost) {
      // The line after `calls=` holds the call's inclusive cost.
      expectCallCost = false;
      if (current === 'rest' && callee !== undefined && callee !== 'rest') entered[callee] += costOf(line);
      continue;
    }
    if (line.startsWith('fn=')) {
      current = categoryOf(resolve(line.slice(3)));
    } else if (line.startsWith('cfn=')) {
      callee = categoryOf(resolve(line.slice(4)));
    } else if (line.startsWith('calls=')) {
      expectCallCost = true;
    } else if (line.startsWith('totals:') || line.startsWith('summary:')) {
      total = Number(line.slice(line.indexOf(':') + 1).trim().split(' ')[0]);
    }
  }
  if (!Number.isFinite(total)) throw new Error('no totals line in the callgrind dump');
  return { total, compile: entered.compile, gc: entered.gc, rest: total - entered.compile - entered.gc };
}

export function splitDumpFile(path: string): DumpSplit {
  return splitDump(readFileSync(path, 'utf8'));
}

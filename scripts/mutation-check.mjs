// Mutation check: proves the suite fails when lib/ is wrong. Each fault below is a deliberate bug
// (a counter not incremented, a label swapped, a token check inverted, …) applied to a scratch copy
// of the project; the suites that should notice it are run, and the check fails if any fault
// survives (its suites still pass). The suites are first run once on the unmodified copy, so a
// fault is only "caught" by suites that otherwise pass.
//
// Usage: node scripts/mutation-check.mjs [fault-name …]   (after `npm ci`; builds its own copy)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Each fault: the file, the exact text it replaces (must occur once), the replacement, the suites. */
const FAULTS = [
  {
    name: 'http-counter-not-incremented',
    file: 'lib/http/http-recorder.ts',
    find: '    this.store.record(o);',
    replace: "    if (o.method !== 'GET') this.store.record(o);",
    suites: ['test/http/http-parity.spec.js'],
  },
  {
    name: 'transport-label-swapped',
    file: 'lib/http/http-recorder.ts',
    find: "o.transport = end.https ? 'https' : 'http';",
    replace: "o.transport = end.https ? 'http' : 'https';",
    suites: ['test/http/http-transport.spec.js'],
  },
  {
    name: 'exception-type-dropped',
    file: 'lib/http/http-recorder.ts',
    find: 'o.exception = state.exception;',
    replace: 'o.exception = undefined;',
    suites: ['test/http/http-parity.spec.js'],
  },
  {
    name: 'token-check-inverted',
    file: 'lib/export/bearer-token-check.ts',
    find: "return timingSafeEqual(digest(presented ?? ''), expected) && presented !== undefined;",
    replace: "return !(timingSafeEqual(digest(presented ?? ''), expected) && presented !== undefined);",
    suites: ['test/export/endpoint-server.spec.js'],
  },
  {
    name: 'process-not-aggregated',
    file: 'lib/multiprocess/aggregate-snapshots.ts',
    find: 'for (const [index, { snapshot }] of inputs.entries()) await replaySnapshot(',
    replace: 'for (const [index, { snapshot }] of inputs.entries()) if (index === 0) await replaySnapshot(',
    suites: ['test/multiprocess/aggregate-in-process.spec.js'],
  },
  {
    name: 'db-statement-not-counted',
    file: 'lib/database/db-series.ts',
    find: '    this.executes++;\n',
    replace: '',
    suites: ['test/database/drivers.spec.js'],
  },
  {
    name: 'cache-hit-counted-as-miss',
    file: 'lib/cache/cache-read-state.ts',
    find: '      tally.hits++;',
    replace: '      tally.misses++;',
    suites: ['test/cache/cache-metrics.spec.js'],
  },
];

const only = process.argv.slice(2);
const faults = only.length === 0 ? FAULTS : FAULTS.filter((f) => only.includes(f.name));
if (faults.length === 0) {
  console.error(`mutation-check: no fault named ${only.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}`);
  process.exit(2);
}

// The scratch copy sits beside the checkout, so paths the suites resolve relative to it still hold.
const scratch = mkdtempSync(join(dirname(root), `.${basename(root)}-mutation-`));
const run = (command, args, options = {}) => spawnSync(command, args, { cwd: scratch, encoding: 'utf8', ...options });
const tsc = join(root, 'node_modules', '.bin', 'tsc');

function testSuites(suites) {
  const result = run(process.execPath, ['--test', '--test-reporter=dot', ...suites.map((s) => join('build', s))], { timeout: 15 * 60_000 });
  return { passed: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

let exitCode = 0;
try {
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of tracked) cpSync(join(root, file), join(scratch, file), { force: true });
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const build = run('npm', ['run', 'build:all']);
  if (build.status !== 0) throw new Error(`build of the scratch copy failed:\n${build.stdout}${build.stderr}`);

  const allSuites = [...new Set(faults.flatMap((f) => f.suites))];
  const baseline = testSuites(allSuites);
  if (!baseline.passed) throw new Error(`the suites fail without any fault, so no fault can be judged:\n${baseline.output}`);

  const survivors = [];
  for (const fault of faults) {
    const path = join(scratch, fault.file);
    const original = readFileSync(path, 'utf8');
    const occurrences = original.split(fault.find).length - 1;
    if (occurrences !== 1) throw new Error(`fault ${fault.name}: expected the text once in ${fault.file}, found it ${occurrences} times (update the fault)`);
    writeFileSync(path, original.replace(fault.find, fault.replace));
    try {
      const rebuilt = run(tsc, ['-p', 'tsconfig.build.json']);
      if (rebuilt.status !== 0) throw new Error(`fault ${fault.name} does not compile:\n${rebuilt.stdout}${rebuilt.stderr}`);
      const { passed } = testSuites(fault.suites);
      console.log(`${passed ? 'SURVIVED' : 'caught  '}  ${fault.name}  (${fault.file}; ${fault.suites.join(', ')})`);
      if (passed) survivors.push(fault.name);
    } finally {
      writeFileSync(path, original);
    }
  }
  if (survivors.length > 0) {
    console.error(`mutation-check: ${survivors.length} of ${faults.length} faults survived: ${survivors.join(', ')}`);
    exitCode = 1;
  } else {
    console.log(`mutation-check: all ${faults.length} faults caught`);
  }
} catch (error) {
  console.error(`mutation-check: ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 2;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);

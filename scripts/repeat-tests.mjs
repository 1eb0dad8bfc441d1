// Looks for order-dependent and flaky tests (node 20's test runner has no shuffle flag).
//
//   node scripts/repeat-tests.mjs [--times N] [--seed S] [--per-test] <spec files or folders of build/test>…
//
// Default mode: N rounds (default 5); each round runs every given spec file alone (`node --test
// file`, one file at a time, so it stays gentle on a shared machine), the files in a new random
// order per round. --per-test: each file once per test name, with --test-name-pattern matching that
// one name exactly (node 20 matches the test's own name, not its suite, so tests of the same name
// in several suites, e.g. one per adapter, run together), N times (default 1); a filtered-out test
// must be reported as skipped, never as passed. Exits 1 when any run failed or a filtered run did
// not run the test it was filtered to. The seed is printed: pass --seed to replay an order.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPORTER = resolve('scripts/repeat-tests-reporter.mjs');
const args = process.argv.slice(2);
const option = (flag, fallback) => {
  const at = args.indexOf(flag);
  if (at === -1) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const perTest = args.includes('--per-test') ? (args.splice(args.indexOf('--per-test'), 1), true) : false;
const times = Number(option('--times', perTest ? '1' : '5'));
const initialSeed = Number(option('--seed', String(Math.floor(Math.random() * 2 ** 31))));
let seed = initialSeed;
if (!Number.isInteger(times) || times < 1 || args.length === 0) {
  console.error('usage: node scripts/repeat-tests.mjs [--times N] [--seed S] [--per-test] <build/test/… spec files or folders>');
  process.exit(2);
}

function specs(path) {
  if (!statSync(path).isDirectory()) return path.endsWith('.spec.js') ? [path] : [];
  return readdirSync(path).sort().flatMap((name) => specs(join(path, name)));
}
const files = args.flatMap(specs);

/** mulberry32: a seeded generator, so an order that failed can be replayed with --seed. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function shuffled(list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Runs one file (optionally filtered to one test name); returns its tests' outcomes. */
function run(file, pattern) {
  const flags = ['--test', `--test-reporter=${REPORTER}`, ...(pattern === undefined ? [] : [`--test-name-pattern=${pattern}`]), file];
  const child = spawnSync(process.execPath, flags, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const tests = child.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
  return { status: child.status, tests, stderr: child.stderr };
}

const escape = (name) => `^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`;
const totals = { runs: 0, pass: 0, fail: 0, skip: 0 };
const failures = [];
const note = (file, label, result) => {
  totals.runs++;
  for (const test of result.tests) totals[test.outcome]++;
  const failed = result.tests.filter((test) => test.outcome === 'fail');
  if (result.status !== 0 || failed.length > 0) {
    failures.push({ file, label, status: result.status, failed: failed.map((test) => `${test.name}: ${test.error}`), stderr: result.stderr.slice(-800) });
  }
  const count = (outcome) => result.tests.filter((test) => test.outcome === outcome).length;
  console.log(`${result.status === 0 && failed.length === 0 ? 'ok  ' : 'FAIL'} ${label} ${file}: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`);
};

console.log(`seed ${initialSeed}, ${files.length} files, ${perTest ? 'each test alone' : 'shuffled file order'}, ${times} time(s)`);
for (let round = 1; round <= times; round++) {
  for (const file of shuffled(files)) {
    if (!perTest) {
      note(file, `[round ${round}]`, run(file));
      continue;
    }
    const names = [...new Set(run(file, '^$').tests.map((test) => test.name))]; // lists the tests, runs none
    for (const name of names) {
      const result = run(file, escape(name));
      const ran = result.tests.filter((test) => test.name === name && test.outcome !== 'skip');
      const leaked = result.tests.filter((test) => test.name !== name && test.outcome === 'pass');
      if (ran.length === 0 && result.tests.some((test) => test.name === name && test.skip !== 'test name does not match pattern')) {
        // skipped by the test itself (a missing service outside CI): reported as a skip, fine
      } else if (ran.length === 0 || leaked.length > 0) {
        result.tests.push({ outcome: 'fail', name, error: ran.length === 0 ? 'the filtered test did not run' : `other tests passed: ${leaked.map((t) => t.name).join(', ')}` });
      }
      note(file, `[round ${round}] «${name}»`, result);
    }
  }
}
console.log(`\n${totals.runs} runs: ${totals.pass} tests passed, ${totals.fail} failed, ${totals.skip} skipped (seed ${initialSeed})`);
for (const failure of failures) {
  console.log(`\nFAILED ${failure.label} ${failure.file} (exit ${failure.status})\n  ${failure.failed.join('\n  ')}\n${failure.stderr}`);
}
process.exit(failures.length === 0 ? 0 : 1);

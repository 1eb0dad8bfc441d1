// `npm test` (through scripts/run-tests.mjs): runs the plain-ESM suites of `nest-prometheus/testing` under Node's test
// runner, Jest (native ESM) and Vitest, one after the other, and fails if any of them fails. Each run
// is told which runner it is in (EXPECTED_RUNNER), and the suite checks it really ran there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const bin = (name) => join(root, 'node_modules', '.bin', name);

if (!existsSync(join(root, 'dist', 'testing', 'index.js'))) {
  console.error('test-runners: dist/testing/index.js is missing; run `npm run build` first (the suite imports nest-prometheus/testing from dist/)');
  process.exit(1);
}

const suites = ['testing-helpers.test.mjs', 'testing-module.test.mjs'].map((file) => join(here, file));

const runs = [
  { runner: 'node:test', command: process.execPath, args: ['--test', '--test-reporter=spec', ...suites] },
  {
    runner: 'jest',
    command: bin('jest'),
    args: ['--config', join(here, 'jest.config.mjs')],
    env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, '--experimental-vm-modules', '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' ') },
  },
  { runner: 'vitest', command: bin('vitest'), args: ['run', '--configLoader', 'runner', '--config', join(here, 'vitest.config.mjs')] },
];

const failed = [];
for (const { runner, command, args, env } of runs) {
  console.log(`\n── nest-prometheus/testing under ${runner}`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env, EXPECTED_RUNNER: runner } });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = result.status === 0;
  console.log(`── ${runner}: ${ok ? 'passed' : `FAILED (exit ${result.status ?? result.signal ?? result.error?.message})`} in ${seconds} s`);
  if (!ok) failed.push(runner);
}
if (failed.length > 0) {
  console.error(`\ntest-runners: failed under ${failed.join(', ')}`);
  process.exit(1);
}
console.log('\ntest-runners: passed under node:test, jest and vitest');

// Runs every compiled spec under node's test runner (Node 20 has no --test glob support).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function specs(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return specs(path);
    return name.endsWith('.spec.js') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = specs('build/test').filter((f) => filter.length === 0 || filter.some((part) => f.includes(part))).sort();
if (files.length === 0) {
  console.error('no spec files matched');
  process.exit(1);
}
// The whole suite also proves nest-prometheus/testing under Jest and Vitest; that runs first so the
// node test runner's summary stays the last thing printed.
if (filter.length === 0) {
  const runners = spawnSync(process.execPath, ['test-runners/run.mjs'], { stdio: 'inherit' });
  if (runners.status !== 0) process.exit(runners.status ?? 1);
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);

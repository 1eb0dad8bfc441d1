import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = join(ROOT, 'test/compat/nest11-cjs');

/**
 * SPEC §1: the one ESM build loads from a CommonJS app on NestJS 11. The package is packed as it
 * would be published and installed into a scratch copy of the fixture app, so it resolves the app's
 * own @nestjs/common 11 (a symlinked install would resolve this repository's Nest 12 instead).
 */
describe('a CommonJS app on NestJS 11', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-nest11-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('requires nest-prometheus, serves /metrics, injects a custom metric and counts HTTP requests', () => {
    const app = join(scratch, 'app');
    cpSync(FIXTURE, app, { recursive: true, filter: (src) => !src.includes('node_modules') });
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', join(scratch, tarball)], { cwd: app, stdio: 'pipe' });
    const output = execFileSync(process.execPath, ['main.cjs'], { cwd: app, encoding: 'utf8' });
    const result = JSON.parse(output.trim().split('\n').pop()!) as { status: number; hits: boolean; httpCounted: boolean; nestVersion: string; sameCommon: boolean };
    assert.deepEqual(result, { status: 200, hits: true, httpCounted: true, nestVersion: '11.2.10', sameCommon: true });
  });
});

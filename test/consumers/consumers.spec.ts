import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The package as users get it: `npm pack`ed once, installed into throw-away copies of real consumer
 * projects (their versions pinned by their committed package-lock.json, installed with `npm ci`),
 * then each project's own runner and compiler run on it:
 * - nest11-jest: NestJS 11, CommonJS, the `nest new` layout with its Jest + ts-jest set-up; also
 *   `module: commonjs` + `moduleResolution: node` type-checking, and plain `require()` under Node;
 * - nest12-vitest: NestJS 12, ESM, Vitest with unplugin-swc; also `nodenext` type-checking.
 * Installing needs the npm registry (or a warm npm cache). In CI a failed install fails the test;
 * elsewhere a network failure skips it, visibly.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PROJECTS = join(ROOT, 'test/consumers/projects');
const INSTALL_TIMEOUT = 10 * 60_000;
const RUN_TIMEOUT = 5 * 60_000;
const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-consumers-'));

interface Run {
  readonly code: number;
  readonly output: string;
}

/** The environment of a child process, without the npm_* variables of the `npm test` around us. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith('npm_')) env[key] = value;
  return env;
}

function run(command: string, args: ReadonlyArray<string>, cwd: string, timeout = RUN_TIMEOUT): Promise<Run> {
  return new Promise((done) => {
    execFile(command, [...args], { cwd, env: childEnv(), timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      done({ code, output: `${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, '') });
    });
  });
}

function npm(args: ReadonlyArray<string>, cwd: string): Promise<Run> {
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['--no-audit', '--no-fund', '--loglevel=error', ...args], cwd, INSTALL_TIMEOUT);
}

const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/;

let tarball: Promise<string> | undefined;
/** Packs the package once (dist/ is built by `npm run build:all` before the suite runs). */
function packedTarball(): Promise<string> {
  tarball ??= (async () => {
    const packed = await npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', scratch], ROOT);
    assert.equal(packed.code, 0, `npm pack failed:\n${packed.output}`);
    const name = packed.output.trim().split('\n').filter((line) => line.endsWith('.tgz')).pop();
    assert.ok(name !== undefined, `npm pack printed no tarball name:\n${packed.output}`);
    return join(scratch, name);
  })();
  return tarball;
}

type Installed = { readonly dir: string } | { readonly skip: string };

/** Copies `project` to the scratch directory, runs `npm ci`, then installs the packed tarball. */
async function install(project: string): Promise<Installed> {
  const dir = join(scratch, project);
  cpSync(join(PROJECTS, project), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|dist|coverage)([\\/]|$)/.test(src) });
  const pkg = await packedTarball();
  for (const args of [['ci'], ['install', '--no-save', pkg]]) {
    const result = await npm(args, dir);
    if (result.code === 0) continue;
    const message = `npm ${args[0]} failed in ${project} (exit ${result.code}):\n${result.output.slice(-4000)}`;
    if (process.env.CI !== 'true' && NETWORK.test(result.output)) {
      console.warn(`skipping ${project}: the npm registry is unreachable (${message.split('\n')[0]})`);
      return { skip: `${project}: npm registry unreachable; run with network access (CI requires it)` };
    }
    throw new Error(message);
  }
  return { dir };
}

/** Runs `body` in the installed project, or skips the test when the install was skipped. */
async function inProject(t: TestContext, installed: Promise<Installed>, body: (dir: string) => Promise<void>): Promise<void> {
  const result = await installed;
  if ('skip' in result) {
    t.skip(result.skip);
    return;
  }
  await body(result.dir);
}

function bin(dir: string, path: string): string {
  return join(dir, 'node_modules', path);
}

after(() => rmSync(scratch, { recursive: true, force: true }));

describe('consumer projects install the packed package and run their own tools', { concurrency: true, timeout: INSTALL_TIMEOUT + 3 * RUN_TIMEOUT }, () => {
  describe('NestJS 11, CommonJS, `nest new` layout (test/consumers/projects/nest11-jest)', () => {
    let installed: Promise<Installed>;
    before(() => {
      installed = install('nest11-jest');
      installed.catch(() => undefined);
    });

    it('Jest + ts-jest e2e: PrometheusModule and PrometheusTestingModule on Express and Fastify', async (t) => {
      await inProject(t, installed, async (dir) => {
        const jest = await run(process.execPath, [bin(dir, 'jest/bin/jest.js'), '--config', './test/jest-e2e.json', '--ci'], dir);
        assert.equal(jest.code, 0, jest.output);
        assert.match(jest.output, /Tests:\s+4 passed, 4 total/, jest.output);
        assert.match(jest.output, /NestJS 11 CommonJS app \(express\)/);
        assert.match(jest.output, /NestJS 11 CommonJS app \(fastify\)/);
      });
    });

    it('TypeScript `module: commonjs` + `moduleResolution: node` type-checks both entry points', async (t) => {
      await inProject(t, installed, async (dir) => {
        const tsc = await run(process.execPath, [bin(dir, 'typescript/bin/tsc'), '-p', 'tsconfig.node10.json'], dir);
        assert.equal(tsc.code, 0, tsc.output);
        const version = await run(process.execPath, [bin(dir, 'typescript/bin/tsc'), '--version'], dir);
        assert.match(version.output, /Version 5\./, 'the TypeScript that nest new pins for Nest 11');
      });
    });

    it('plain Node `require()` gets the CommonJS build and shares the app`s @nestjs/common 11', async (t) => {
      await inProject(t, installed, async (dir) => {
        const node = await run(process.execPath, ['plain-node.cjs'], dir);
        assert.equal(node.code, 0, node.output);
        const result = JSON.parse(node.output.trim().split('\n').filter((line) => line.startsWith('{')).pop()!) as unknown;
        assert.deepEqual(result, { status: 200, hits: true, httpCounted: true, nestVersion: '11.2.10', sameCommon: true, format: 'commonjs' });
      });
    });
  });

  describe('NestJS 12, ESM, Vitest (test/consumers/projects/nest12-vitest)', () => {
    let installed: Promise<Installed>;
    before(() => {
      installed = install('nest12-vitest');
      installed.catch(() => undefined);
    });

    it('Vitest e2e: PrometheusModule and PrometheusTestingModule on Express and Fastify', async (t) => {
      await inProject(t, installed, async (dir) => {
        const vitest = await run(process.execPath, [bin(dir, 'vitest/vitest.mjs'), 'run'], dir);
        assert.equal(vitest.code, 0, vitest.output);
        assert.match(vitest.output, /Tests\s+4 passed \(4\)/, vitest.output);
      });
    });

    it('TypeScript `module: nodenext` (ESM) type-checks both entry points', async (t) => {
      await inProject(t, installed, async (dir) => {
        const tsc = await run(process.execPath, [bin(dir, 'typescript/bin/tsc'), '-p', 'tsconfig.json', '--noEmit'], dir);
        assert.equal(tsc.code, 0, tsc.output);
      });
    });
  });
});

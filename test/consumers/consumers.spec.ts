import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The package as users get it: `npm pack`ed once, installed into throw-away copies of real consumer
 * projects (their versions pinned by their committed package-lock.json, installed with `npm ci`),
 * then each project's own runner and compiler run on it:
 * - nest11-jest: NestJS 11, CommonJS, the `nest new` layout with its Jest + ts-jest set-up; also
 *   `module: commonjs` + `moduleResolution: node` type-checking, and plain `require()` under Node;
 * - nest12-vitest: NestJS 12, ESM, Vitest with unplugin-swc; also `nodenext` type-checking;
 * - nest11-http: NestJS 11 for the repository's own HTTP suites (build/test/http*), which run with
 *   their package imports redirected to that install (redirect.mjs), so the whole HTTP behaviour
 *   (views, exceptions from handlers, pipes, guards, interceptors, templates, @SkipMetrics(), both
 *   adapters, the hooks' fallback) is checked on NestJS 11 as well as on the repository's NestJS 12.
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

/**
 * The environment of a child process, without the npm_* variables of the `npm test` around us nor
 * the marker node's test runner sets for its own children (a nested `node --test` must report on
 * its own).
 */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_') && key !== 'NODE_TEST_CONTEXT') env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: ReadonlyArray<string>, cwd: string, timeout = RUN_TIMEOUT, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(command, [...args], { cwd, env: childEnv(extraEnv), timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
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

/** Compiled spec files of the repository's `build/test/<dir>`. */
function specs(dir: string): string[] {
  return readdirSync(join(ROOT, 'build/test', dir))
    .filter((name) => name.endsWith('.spec.js'))
    .map((name) => join('build/test', dir, name));
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

    it('Jest + ts-jest e2e: PrometheusModule and PrometheusTestingModule on Express and Fastify, the worker-thread port', async (t) => {
      await inProject(t, installed, async (dir) => {
        const jest = await run(process.execPath, [bin(dir, 'jest/bin/jest.js'), '--config', './test/jest-e2e.json', '--ci', '--verbose'], dir);
        assert.equal(jest.code, 0, jest.output);
        assert.match(jest.output, /Tests:\s+5 passed, 5 total/, jest.output);
        assert.match(jest.output, /serves the metrics port from a worker thread/);
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

  describe('the repository`s HTTP suites on NestJS 11 (test/consumers/projects/nest11-http)', () => {
    let installed: Promise<Installed>;
    before(() => {
      installed = install('nest11-http');
      installed.catch(() => undefined);
    });

    it('pass with Nest, nest-prometheus and prom-client resolved from the NestJS 11 install', async (t) => {
      await inProject(t, installed, async (dir) => {
        const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${pathToFileURL(join(dir, 'redirect.mjs')).href}`.trim() };
        const probe = await run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('@nestjs/core'), import.meta.resolve('nest-prometheus'))"], ROOT, RUN_TIMEOUT, env);
        assert.equal(probe.code, 0, probe.output);
        const [core, pkg] = probe.output.trim().split(/\s+/);
        assert.equal(core, pathToFileURL(join(dir, 'node_modules/@nestjs/core/index.js')).href, 'the suites get NestJS 11, not the repository`s');
        assert.equal(pkg, pathToFileURL(join(dir, 'node_modules/nest-prometheus/dist/index.js')).href, 'and the packed nest-prometheus');
        const files = [...specs('http'), ...specs('http-fallback')];
        assert.ok(files.length >= 5, files.join(', '));
        const suite = await run(process.execPath, ['--test', '--test-reporter=spec', ...files], ROOT, 2 * RUN_TIMEOUT, env);
        assert.equal(suite.code, 0, suite.output.slice(-20_000));
        assert.match(suite.output, /ℹ fail 0/);
        const passed = Number(/ℹ pass (\d+)/.exec(suite.output)?.[1] ?? 0);
        assert.ok(passed >= 50, `only ${passed} tests passed on NestJS 11:\n${suite.output.slice(-5000)}`);
        t.diagnostic(`HTTP suites on NestJS 11: ${passed} passed`);
      });
    });
  });
});

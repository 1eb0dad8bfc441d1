import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { detectWatchMode } from 'nest-prometheus';
import { Child, cleanEnv, fixture, freePorts } from '../fixtures/child-process.js';

const NEST_APP = fixture('export-app.js');
const require = createRequire(import.meta.url);
/** The real watchers' entry points, from devDependencies. */
const NODEMON = require.resolve('nodemon/bin/nodemon.js');
const TSX = join(dirname(require.resolve('tsx/package.json')), 'dist/cli.mjs');
const APP = fixture('plain-exporter.js');

describe('detectWatchMode (command lines as the watchers leave them)', () => {
  const none = { env: {}, ancestors: [] };
  const detect = (ancestors: string[][], env: NodeJS.ProcessEnv = {}) => detectWatchMode({ env, ancestors })?.watcher;

  it('recognises each watcher', () => {
    assert.equal(detect([], { WATCH_REPORT_DEPENDENCIES: '1' }), 'node --watch');
    assert.equal(detect([['node', '--watch', 'dist/main.js']]), 'node --watch');
    assert.equal(detect([['/usr/bin/node', '--enable-source-maps', '--watch-path=src', 'dist/main.js']]), 'node --watch');
    assert.equal(detect([['/bin/sh', '-c', 'node dist/main'], ['node', '/app/node_modules/.bin/nest', 'start', '--watch']]), 'nest start --watch');
    assert.equal(detect([['/bin/sh', '-c', 'node dist/main'], ['node', '/app/node_modules/@nestjs/cli/bin/nest.js', 'start', '-w']]), 'nest start --watch');
    assert.equal(detect([['node', '/app/node_modules/.bin/nodemon', 'dist/main.js']]), 'nodemon');
    assert.equal(detect([['nodemon', 'dist/main.js']]), 'nodemon');
    assert.equal(detect([['node', '/app/node_modules/.bin/tsx', 'watch', 'src/main.ts']]), 'tsx watch');
    assert.equal(detect([['node', '/app/node_modules/tsx/dist/cli.mjs', 'watch', 'src/main.ts']]), 'tsx watch');
  });

  it('does not flag the same tools without watching, or plain runs', () => {
    assert.equal(detectWatchMode(none), undefined);
    assert.equal(detect([['node', '/app/node_modules/.bin/nest', 'start']]), undefined);
    assert.equal(detect([['node', '/app/node_modules/.bin/tsx', 'src/main.ts']]), undefined);
    assert.equal(detect([['node', 'dist/main.js', '--watch']]), undefined, '--watch after the script is the app\'s own argument');
    assert.equal(detect([['node', '--test', 'build/test/a.spec.js']]), undefined);
    assert.equal(detect([['bash'], ['sshd: root@pts/0']]), undefined);
  });
});

/** Runs `command` (which eventually starts the fixture app) and returns what the app reported. */
async function runUnder(command: string, args: string[], env: NodeJS.ProcessEnv, children: Child[]): Promise<Record<string, unknown>> {
  const child = new Child(spawn(command, args, { env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true }), true);
  children.push(child);
  const reported = await child.next((e) => e.event === 'error' || e.event === 'ready');
  assert.notEqual(reported.event, 'exit', `the app did not report: ${child.output}`);
  return reported;
}

describe('watch-mode refusal with real watcher processes', { concurrency: 4 }, () => {
  const children: Child[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-watch-'));
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  // node --watch, nodemon and tsx watch run for real. @nestjs/cli is not a dependency (it would
  // compile a project of its own): `nest start --watch` has a stand-in, a real parent process whose
  // command line is the one the tool leaves, starting the app through `/bin/sh -c` as the tool does.
  // The `nodemon` and `tsx` stand-ins stay as a second check of the command-line rule.
  const viaShell = `require('node:child_process').spawn('/bin/sh', ['-c', JSON.stringify(process.execPath) + ' ' + JSON.stringify(process.argv.at(-1))], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));`;
  const direct = `require('node:child_process').spawn(process.execPath, [process.argv.at(-1)], { stdio: 'inherit' }).on('exit', (c) => process.exit(c ?? 1));`;
  writeFileSync(join(dir, 'nest'), viaShell);
  writeFileSync(join(dir, 'nodemon'), direct);
  writeFileSync(join(dir, 'tsx'), direct);

  const cases: Array<{ name: string; args: string[]; watcher?: string }> = [
    { name: 'node --watch (the real tool), Nest app', args: ['--watch', NEST_APP], watcher: 'node --watch' },
    { name: 'node --watch (the real tool), standalone', args: ['--watch', APP], watcher: 'node --watch' },
    { name: 'nodemon (the real tool)', args: [NODEMON, '--quiet', '--watch', dir, APP], watcher: 'nodemon' },
    { name: 'tsx watch (the real tool)', args: [TSX, 'watch', '--clear-screen=false', APP], watcher: 'tsx watch' },
    { name: 'nest start --watch', args: [join(dir, 'nest'), 'start', '--watch', APP], watcher: 'nest start --watch' },
    { name: 'nodemon', args: [join(dir, 'nodemon'), APP], watcher: 'nodemon' },
    { name: 'tsx watch', args: [join(dir, 'tsx'), 'watch', APP], watcher: 'tsx watch' },
    { name: 'nest start (no watch)', args: [join(dir, 'nest'), 'start', APP] },
    { name: 'plain node', args: [APP] },
  ];

  for (const { name, args, watcher } of cases) {
    it(watcher === undefined ? `starts the port under ${name}` : `refuses the port under ${name}`, async () => {
      const [port] = await freePorts(1);
      const reported = await runUnder(process.execPath, args, { PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1' }, children);
      if (watcher === undefined) {
        assert.equal(reported.event, 'ready');
        assert.equal(reported.exportPort, port);
        return;
      }
      assert.equal(reported.event, 'error');
      assert.equal(reported.name, 'WatchModeError');
      const message = String(reported.message);
      assert.match(message, new RegExp(`runs under \`${watcher.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\``));
      assert.match(message, /race it for the port/);
      assert.match(message, /use the \/metrics controller/);
    });
  }
});

describe('watch mode further up the ancestry (real nodemon and npm)', { timeout: 120_000 }, () => {
  const children: Child[] = [];
  const project = mkdtempSync(join(tmpdir(), 'nest-prom-npm-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'watched', private: true, scripts: { 'start:prod': `node ${JSON.stringify(APP)}` } }));
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    rmSync(project, { recursive: true, force: true });
  });
  const run = async (args: string[]): Promise<Record<string, unknown>> => {
    const [port] = await freePorts(1);
    const child = new Child(
      spawn(args[0] as string, args.slice(1), {
        cwd: project,
        env: { ...cleanEnv(), PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
      true,
    );
    children.push(child);
    const reported = await child.next((e) => e.event === 'error' || e.event === 'ready');
    assert.notEqual(reported.event, 'exit', `the app did not report: ${child.output}`);
    return reported;
  };

  it('refuses under `nodemon --exec "npm run start:prod"`, where nodemon is the fourth ancestor', async () => {
    const reported = await run([process.execPath, NODEMON, '--quiet', '--watch', project, '--exec', 'npm run start:prod']);
    assert.equal(reported.event, 'error');
    assert.equal(reported.name, 'WatchModeError');
    assert.match(String(reported.message), /runs under `nodemon` \(ancestor process `.*nodemon/);
  });

  it('starts under `npm run start:prod` alone (walking the whole chain finds no watcher where there is none)', async () => {
    const reported = await run(['npm', 'run', 'start:prod']);
    assert.equal(reported.event, 'ready');
    assert.equal(typeof reported.exportPort, 'number');
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The project's own lint: `promtool check metrics` minus the two excused migration gauges, plus duplicates. */
export const PROMLINT = resolve(ROOT, 'scripts/promlint.sh');
/**
 * `../shared/tools/promlint.sh` beside the checkout, when present: a second opinion run in its
 * parse-only mode (parse errors, empty body, duplicates), since it does not know the excused names.
 */
export const SHARED_PROMLINT = resolve(ROOT, '../shared/tools/promlint.sh');

export interface LintResult {
  readonly code: number;
  readonly output: string;
}

/** What `promlint` needs of the running test: node:test's `TestContext` (or any runner's equivalent). */
export interface SkippableTest {
  skip(message?: string): void;
}

/**
 * Runs the real `promtool` (and a second parser) over an exposition given as text. Without
 * `promtool` the calling test is marked skipped (it shows as skipped, never as passed, in the
 * runner's summary) and its other assertions still run; in CI (`CI=true`) a missing tool is an error.
 */
export async function promlint(exposition: string, test: SkippableTest): Promise<LintResult> {
  const missing = missingTool();
  if (missing !== undefined) {
    // CI installs promtool (.ci/run); a developer machine without it still runs every other assertion.
    if (process.env.CI === 'true') throw new Error(`CI: ${missing}`);
    warnOnce(`exposition lint not run: ${missing}`);
    test.skip(`exposition lint not run: ${missing}`);
    return { code: 0, output: `promlint: not run (${missing})` };
  }
  const own = await run([PROMLINT, '-'], exposition);
  if (own.code !== 0 || !existsSync(SHARED_PROMLINT)) return own;
  const second = await run([SHARED_PROMLINT, '-', '--parse-only'], exposition);
  return { code: second.code, output: `${own.output}${second.output}` };
}

function run(args: string[], input: string): Promise<LintResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output }));
    child.stdin.end(input);
  });
}

function missingTool(): string | undefined {
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status !== 0) return 'promtool is not installed (apt-get install -y prometheus)';
  return undefined;
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`skipping: ${message}`);
}

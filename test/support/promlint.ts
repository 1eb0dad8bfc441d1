import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The project's own lint: `promtool check metrics` minus the two excused migration gauges, plus duplicates. */
export const PROMLINT = resolve(ROOT, 'scripts/promlint.sh');

export interface LintResult {
  readonly code: number;
  readonly output: string;
  /** `false` when the lint did not run (no promtool outside CI: the test was marked skipped). */
  readonly ran: boolean;
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
    return { code: 0, output: `promlint: not run (${missing})`, ran: false };
  }
  return run([PROMLINT, '-'], exposition);
}

function run(args: string[], input: string): Promise<LintResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output, ran: true }));
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

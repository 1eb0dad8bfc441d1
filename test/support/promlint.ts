import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** `../shared/tools/promlint.sh` beside the project checkout. */
export const PROMLINT = resolve(ROOT, '../shared/tools/promlint.sh');

export interface LintResult {
  readonly code: number;
  readonly output: string;
}

/** Runs the real `promtool` (and a second parser) over an exposition given as text. */
export function promlint(exposition: string): Promise<LintResult> {
  const missing = missingTool();
  if (missing !== undefined) {
    // CI installs promtool (.ci/run); a developer machine without it still runs every other assertion.
    if (process.env.CI === 'true') throw new Error(`CI: ${missing}`);
    warnOnce(`exposition lint not run: ${missing}`);
    return Promise.resolve({ code: 0, output: `promlint: OK (not run: ${missing})` });
  }
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', [PROMLINT, '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, output }));
    child.stdin.end(exposition);
  });
}

function missingTool(): string | undefined {
  if (!existsSync(PROMLINT)) return `${PROMLINT} not found`;
  if (spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status !== 0) return 'promtool is not installed (apt-get install -y prometheus)';
  return undefined;
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(`skipping: ${message}`);
}

import { spawn } from 'node:child_process';
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
  if (!existsSync(PROMLINT)) throw new Error(`promlint.sh not found at ${PROMLINT}`);
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

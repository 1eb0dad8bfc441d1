import { mkdirSync, statSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Deepest chain of missing directories created; deeper paths are refused. */
const MAX_MISSING = 32;

/**
 * Creates `dir` and its missing parents one level at a time. Node's `mkdir(dir, { recursive: true })`
 * spins forever (busy, deaf to SIGTERM) on some paths, e.g. under `/proc`; this walk stops at the
 * first error, which it returns with the directory it concerns.
 * @internal
 */
export async function ensureDirectory(dir: string): Promise<void> {
  const missing = await missingChain(resolve(dir));
  for (const path of missing) {
    try {
      await mkdir(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw describe(error, path);
    }
  }
  const stats = await stat(dir);
  if (!stats.isDirectory()) throw new Error(`${dir} is not a directory`);
}

/** The same, synchronous (for `process.on('exit')`). @internal */
export function ensureDirectorySync(dir: string): void {
  const missing: string[] = [];
  let path = resolve(dir);
  for (;;) {
    try {
      if (!statSync(path).isDirectory()) throw new Error(`${path} is not a directory`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(path);
      if (missing.length > MAX_MISSING || dirname(path) === path) throw new Error(`${dir}: too many missing parent directories`);
      path = dirname(path);
    }
  }
  for (const each of missing) {
    try {
      mkdirSync(each);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw describe(error, each);
    }
  }
}

async function missingChain(target: string): Promise<string[]> {
  const missing: string[] = [];
  let path = target;
  for (;;) {
    try {
      const stats = await stat(path);
      if (!stats.isDirectory()) throw new Error(`${path} is not a directory`);
      return missing;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.unshift(path);
      if (missing.length > MAX_MISSING || dirname(path) === path) throw new Error(`${target}: too many missing parent directories`);
      path = dirname(path);
    }
  }
}

function describe(error: unknown, path: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  return new Error(`cannot create ${path}: ${code ?? (error as Error).message}`, { cause: error });
}

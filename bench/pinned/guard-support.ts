// What the two CI guards (guard.ts: CPU µs, instruction-guard.ts: instructions) share: per-adapter
// limits from the command line, and running a guard with every server stopped on the way out.
import { stopAllServers } from '../support/server-process.js';

export type GuardAdapter = 'fastify' | 'express';

/** `--<adapter>-limit=<n>` from `argv`, else the default; `unit` names the number in the error. */
export function limitOption(argv: readonly string[], adapter: GuardAdapter, defaults: Readonly<Record<GuardAdapter, number>>, unit: string): number {
  const value = argv.find((arg) => arg.startsWith(`--${adapter}-limit=`))?.split('=')[1];
  if (value === undefined) return defaults[adapter];
  const limit = Number(value);
  if (!(limit > 0)) throw new Error(`--${adapter}-limit: "${value}" is not a positive number of ${unit}`);
  return limit;
}

/** `argv` without the limit options (what is passed on to the benchmark). */
export function withoutLimits(argv: readonly string[]): string[] {
  return argv.filter((arg) => !/^--(fastify|express)-limit=/.test(arg));
}

/** Runs a guard's `main` (its exit code), stopping every benchmark server on success and failure. */
export function runGuard(name: string, main: () => Promise<number>): void {
  main()
    .then(async (code) => {
      await stopAllServers();
      process.exitCode = code;
    })
    .catch(async (error: unknown) => {
      process.stderr.write(`${name} could not run: ${(error as Error).stack ?? String(error)}\n`);
      await stopAllServers();
      process.exitCode = 1;
    });
}

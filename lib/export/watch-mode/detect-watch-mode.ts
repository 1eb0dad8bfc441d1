import { readAncestorCommandLines } from './read-ancestor-command-lines.js';

/** A file watcher found to run this process, and the evidence. */
export interface WatchModeDetection {
  /** `node --watch`, `nest start --watch`, `nodemon` or `tsx watch`. */
  readonly watcher: string;
  /** What gave it away (environment variable or an ancestor's command line). */
  readonly evidence: string;
}

/** Where the detection looks; tests and non-Linux callers pass their own. */
export interface WatchModeSignals {
  readonly env: NodeJS.ProcessEnv;
  readonly ancestors: ReadonlyArray<ReadonlyArray<string>>;
}

const NODE = /^(node|nodejs|node\d+)(\.exe)?$/i;

/**
 * Recognises a file watcher that restarts this process on changes:
 * - `node --watch`: sets `WATCH_REPORT_DEPENDENCIES` in the child; its command line has `--watch`.
 * - `nest start --watch` / `-w`: sets nothing; the grandparent (parent is `/bin/sh -c node …`) is
 *   `nest start --watch`.
 * - `nodemon`: sets nothing; an ancestor's program is `nodemon` (the parent, or further up, e.g.
 *   the fourth ancestor under `nodemon --exec "npm run start:prod"`).
 * - `tsx watch`: an ancestor's program is `tsx` with the `watch` command.
 * The whole ancestry is read from `/proc` (Linux), up to 32 levels; elsewhere only the
 * `node --watch` variable is seen.
 */
export function detectWatchMode(
  signals: WatchModeSignals = { env: process.env, ancestors: readAncestorCommandLines() },
): WatchModeDetection | undefined {
  if (signals.env.WATCH_REPORT_DEPENDENCIES !== undefined) {
    return { watcher: 'node --watch', evidence: 'WATCH_REPORT_DEPENDENCIES is set' };
  }
  for (const argv of signals.ancestors) {
    const watcher = recognise(argv);
    if (watcher !== undefined) return { watcher, evidence: `ancestor process \`${argv.join(' ')}\`` };
  }
  return undefined;
}

function recognise(argv: ReadonlyArray<string>): string | undefined {
  const [first = '', ...rest] = argv;
  const firstName = baseName(first);
  if (NODE.test(firstName)) {
    const scriptAt = rest.findIndex((arg) => !arg.startsWith('-'));
    const nodeFlags = scriptAt === -1 ? rest : rest.slice(0, scriptAt);
    if (nodeFlags.some((flag) => flag === '--watch' || flag.startsWith('--watch-path'))) return 'node --watch';
    if (scriptAt === -1) return undefined;
    return recogniseProgram(rest[scriptAt], rest.slice(scriptAt + 1));
  }
  return recogniseProgram(first, rest);
}

function recogniseProgram(program: string, args: ReadonlyArray<string>): string | undefined {
  const name = baseName(program).replace(/\.(c|m)?js$/, '');
  const path = program.replace(/\\/g, '/');
  if (name === 'nodemon' || path.endsWith('/nodemon/bin/nodemon.js')) return 'nodemon';
  if ((name === 'tsx' || /\/tsx\/dist\/cli\.m?js$/.test(path)) && args.includes('watch')) return 'tsx watch';
  if ((name === 'nest' || path.endsWith('/@nestjs/cli/bin/nest.js')) && args.includes('start') && args.some((a) => a === '--watch' || a === '-w')) {
    return 'nest start --watch';
  }
  return undefined;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

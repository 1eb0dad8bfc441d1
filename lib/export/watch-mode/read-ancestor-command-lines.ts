import { readFileSync } from 'node:fs';

/** Most ancestors read: far more than any watcher chain (nodemon → sh → npm → sh → node is 4). */
export const MAX_ANCESTORS = 32;

/**
 * Command lines (argv arrays) of this process's parent, grandparent… up to the init process (pid 1)
 * or `depth` levels, read from Linux's `/proc`. The walk is bounded and stops at a pid seen before.
 * Elsewhere, or when `/proc` cannot be read, returns what it could read (possibly nothing): the
 * detection then relies on environment signals only.
 * @internal
 */
export function readAncestorCommandLines(depth = MAX_ANCESTORS, startPid = process.ppid): string[][] {
  const lines: string[][] = [];
  const seen = new Set<number>();
  let pid = startPid;
  for (let level = 0; level < depth && Number.isInteger(pid) && pid > 1 && !seen.has(pid); level++) {
    seen.add(pid);
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((part) => part !== '');
      lines.push(argv);
      pid = parentOf(pid);
    } catch {
      break;
    }
  }
  return lines;
}

/** Parent pid from `/proc/<pid>/stat` (the field after the command name, which may hold spaces). */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1]);
}

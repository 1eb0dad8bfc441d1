import { readFileSync } from 'node:fs';

/**
 * Command lines (argv arrays) of this process's parent, grandparent… up to `depth` levels, read
 * from Linux's `/proc`. Elsewhere, or when `/proc` cannot be read, returns what it could read
 * (possibly nothing): the detection then relies on environment signals only.
 * @internal
 */
export function readAncestorCommandLines(depth = 3, startPid = process.ppid): string[][] {
  const lines: string[][] = [];
  let pid = startPid;
  for (let level = 0; level < depth && pid > 1; level++) {
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

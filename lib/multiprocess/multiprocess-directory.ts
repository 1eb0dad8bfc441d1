import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AggregationInput } from './aggregate-snapshots.js';
import type { ProcessSnapshot } from './process-snapshot.interface.js';

const SUFFIX = '.json';

/**
 * The files of a `multiprocessDir`: one `<host>-<pid>-<random>.json` per process lifetime,
 * replaced atomically (write a temporary file, then rename over the old one) so a reader never
 * sees half a file. A restarted process gets a new file, so a dead process keeps its counts.
 * @internal
 */
export class MultiprocessDirectory {
  /** This process's file name (without directory). */
  readonly ownFile: string;

  constructor(readonly dir: string) {
    const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '_');
    this.ownFile = `${host}-${process.pid}-${randomBytes(4).toString('hex')}${SUFFIX}`;
  }

  async write(snapshot: ProcessSnapshot): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const temp = this.tempPath();
    await writeFile(temp, JSON.stringify(snapshot));
    await rename(temp, join(this.dir, this.ownFile));
  }

  /** The same write, synchronous, for `process.on('exit')`. */
  writeSync(snapshot: ProcessSnapshot): void {
    mkdirSync(this.dir, { recursive: true });
    const temp = this.tempPath();
    writeFileSync(temp, JSON.stringify(snapshot));
    renameSync(temp, join(this.dir, this.ownFile));
  }

  /**
   * Reads every process file except `exclude` (sorted by name). Unreadable or foreign files are
   * skipped; a missing directory reads as empty.
   */
  async read(exclude?: string): Promise<AggregationInput[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const files = names.filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.') && n !== exclude).sort();
    const snapshots = await Promise.all(files.map((name) => this.readOne(name)));
    return snapshots.flatMap((snapshot) => (snapshot === undefined ? [] : [{ snapshot, gone: isGone(snapshot) }]));
  }

  private async readOne(name: string): Promise<ProcessSnapshot | undefined> {
    try {
      const parsed = JSON.parse(await readFile(join(this.dir, name), 'utf8')) as ProcessSnapshot;
      return parsed.version === 1 && Array.isArray(parsed.metrics) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private tempPath(): string {
    return join(this.dir, `.${this.ownFile}.${randomBytes(4).toString('hex')}.tmp`);
  }
}

/** A process that exited gracefully, or that ran on this host and no longer exists. */
function isGone(snapshot: ProcessSnapshot): boolean {
  if (snapshot.exited) return true;
  if (snapshot.hostname !== hostname() || snapshot.pid === process.pid) return false;
  try {
    process.kill(snapshot.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

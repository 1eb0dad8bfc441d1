import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { readdir, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AggregationInput } from './aggregate-snapshots.js';
import { ensureDirectory, ensureDirectorySync } from './ensure-directory.js';
import type { ProcessSnapshot, SnapshotInput } from './process-snapshot.interface.js';
import { readSnapshotFile, type Exclusive, type FileCheck } from './read-snapshot-file.js';
import { SkippedFileWarner, type WarnLogger } from './skipped-file-warner.js';
import { joinRecords, snapshotV2Records, snapshotV2TextSync } from './snapshot-v2.js';
import { metricTypes } from './snapshot-input.js';

const SUFFIX = '.json';
/** Skipped files named in the log per read of the directory. */
const WARNINGS_PER_READ = 20;

/** Limits on what one scrape reads from the directory. @internal */
export interface DirectoryReadLimits {
  /** Largest file read, in bytes. */
  readonly maxFileBytes: number;
  /** Longest a scrape spends listing and reading the directory; files not read by then are skipped. */
  readonly readBudgetMs: number;
  /** Files read at the same time (each holds a libuv thread while it reads). */
  readonly concurrency: number;
}

/** @internal */
export const DEFAULT_READ_LIMITS: DirectoryReadLimits = Object.freeze({
  maxFileBytes: 64 * 1024 * 1024,
  readBudgetMs: 2000,
  concurrency: 2,
});

/** What one read of the directory gave: the snapshots to merge and how many files were skipped. @internal */
export interface DirectoryReading {
  readonly inputs: AggregationInput[];
  readonly skipped: number;
}

/**
 * The files of a `multiprocessDir`: one `<host>-<pid>-<random>.json` per process lifetime, in
 * snapshot format 2 (newline-delimited records, see snapshot-v2.ts; format 1 files are still read),
 * built and parsed in slices, replaced atomically (write a temporary file, then rename over the old one) so a reader never
 * sees half a file. A restarted process gets a new file, so a dead process keeps its counts.
 *
 * Reading never trusts the directory: only regular files are read (no links, FIFOs or devices),
 * up to a size limit, within a time budget, each validated; a bad file is skipped with a
 * rate-limited warning naming it, and a scrape always gets an answer.
 * @internal
 */
export class MultiprocessDirectory {
  /** This process's file name (without directory). */
  readonly ownFile: string;
  private readonly warner: SkippedFileWarner;
  /**
   * Reads under way, by file name. A scrape that finds one (a concurrent scrape's, or one that
   * outlived an earlier scrape's budget) waits for it instead of starting another, so a file
   * that is slow to read never holds more than one libuv thread.
   */
  private readonly inFlight = new Map<string, Promise<FileCheck>>();
  /** The check under way (files are read in parallel, checked one at a time: see `Exclusive`). */
  private checking: Promise<unknown> = Promise.resolve();
  private readonly exclusive: Exclusive = <T>(job: () => Promise<T>): Promise<T> => {
    const run = this.checking.then(job, job);
    this.checking = run.catch(() => undefined);
    return run;
  };

  constructor(
    readonly dir: string,
    logger: WarnLogger,
    private readonly limits: DirectoryReadLimits = DEFAULT_READ_LIMITS,
  ) {
    const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '_');
    this.ownFile = `${host}-${process.pid}-${randomBytes(4).toString('hex')}${SUFFIX}`;
    this.warner = new SkippedFileWarner(logger);
  }

  async write(snapshot: ProcessSnapshot): Promise<void> {
    await ensureDirectory(this.dir);
    const text = joinRecords(await snapshotV2Records(snapshot));
    const temp = this.tempPath();
    await writeFile(temp, text);
    await rename(temp, join(this.dir, this.ownFile));
  }

  /** The same write, synchronous, for `process.on('exit')`. */
  writeSync(snapshot: ProcessSnapshot): void {
    ensureDirectorySync(this.dir);
    const temp = this.tempPath();
    writeFileSync(temp, snapshotV2TextSync(snapshot));
    renameSync(temp, join(this.dir, this.ownFile));
  }

  /**
   * Reads every process file except `exclude` (sorted by name), within the time budget. A missing
   * or unlistable directory reads as empty (with a warning unless missing). `known` gives the
   * metric types already in the aggregate (this process's own): a file that declares a metric with
   * another type than the aggregate has is skipped, as its samples could not be merged.
   */
  async read(exclude?: string, known?: SnapshotInput): Promise<DirectoryReading> {
    const deadline = Date.now() + this.limits.readBudgetMs;
    const names = await this.list(deadline);
    const files = names.filter((n) => n.endsWith(SUFFIX) && !n.startsWith('.') && n !== exclude).sort();
    const checks = await this.readAll(files, deadline);
    const types = new Map<string, string>();
    if (known !== undefined) for (const [name, type] of metricTypes(known)) types.set(name, type);
    const inputs: AggregationInput[] = [];
    let skipped = 0;
    files.forEach((name, index) => {
      const result = checks[index] as FileCheck;
      const reason = result.ok ? typeConflict(result.snapshot, types) : result.reason;
      if (reason !== undefined || !result.ok) {
        // A directory flooded with bad files must not flood the log: a few by name, then a count.
        if (++skipped <= WARNINGS_PER_READ) this.warner.warn(this.dir, name, reason as string);
        return;
      }
      for (const [metricName, type] of metricTypes(result.snapshot)) types.set(metricName, type);
      inputs.push({ snapshot: result.snapshot, gone: isGone(result.snapshot) });
    });
    if (skipped > WARNINGS_PER_READ) {
      this.warner.warnKeyed('\0summary', `${skipped} files of multiprocessDir ${this.dir} are skipped; only the first ${WARNINGS_PER_READ} are named in the log`);
    }
    return { inputs, skipped };
  }

  private async list(deadline: number): Promise<string[]> {
    try {
      const names = await withDeadline(readdir(this.dir), deadline);
      if (names === undefined) {
        this.warner.warn(this.dir, '.', `listing the directory took longer than ${this.limits.readBudgetMs} ms`);
        return [];
      }
      return names;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.warner.warn(this.dir, '.', `the directory cannot be listed: ${code ?? (error as Error).message}`);
      return [];
    }
  }

  /** Reads the files a few at a time; whatever is not read by the deadline is reported as such. */
  private async readAll(files: ReadonlyArray<string>, deadline: number): Promise<FileCheck[]> {
    const results: FileCheck[] = new Array(files.length);
    let next = 0;
    const work = async (): Promise<void> => {
      while (next < files.length) {
        const index = next++;
        const name = files[index] as string;
        let reading = this.inFlight.get(name);
        if (reading === undefined) {
          reading = readSnapshotFile(join(this.dir, name), this.limits.maxFileBytes, this.exclusive).finally(() => this.inFlight.delete(name));
          this.inFlight.set(name, reading);
        }
        const result = await withDeadline(reading, deadline);
        results[index] = result ?? { ok: false, reason: `not read within the ${this.limits.readBudgetMs} ms budget of a scrape` };
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.limits.concurrency) }, work));
    return results;
  }

  private tempPath(): string {
    return join(this.dir, `.${this.ownFile}.${randomBytes(4).toString('hex')}.tmp`);
  }
}

/** Resolves with `promise`'s value, or `undefined` once `deadline` (epoch ms) has passed. */
async function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why `snapshot` cannot be merged with metrics of the types seen so far, if it cannot. */
function typeConflict(snapshot: SnapshotInput, types: ReadonlyMap<string, string>): string | undefined {
  for (const [name, type] of metricTypes(snapshot)) {
    const seen = types.get(name);
    if (seen !== undefined && seen !== type) return `metric "${name}" is a ${type} here but a ${seen} in the aggregate`;
  }
  return undefined;
}

/** A process that exited gracefully, or that ran on this host and no longer exists. */
function isGone(snapshot: SnapshotInput): boolean {
  if (snapshot.exited) return true;
  if (snapshot.hostname !== hostname() || snapshot.pid === process.pid) return false;
  try {
    process.kill(snapshot.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

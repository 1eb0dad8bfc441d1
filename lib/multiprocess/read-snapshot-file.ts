import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { SnapshotInput } from './process-snapshot.interface.js';
import { checkSnapshotV2, looksLikeV2 } from './snapshot-v2.js';
import { validateSnapshotSliced } from './validate-snapshot.js';

/** A file's snapshot, checked (a format-2 one is replayable: its series are not held), or why it is skipped. @internal */
export type FileCheck = { readonly ok: true; readonly snapshot: SnapshotInput } | { readonly ok: false; readonly reason: string };

/**
 * Runs the CPU-bound part of a read (parse and validation, in slices) after the previous one has
 * finished: two checks in parallel would each give the event loop back every few milliseconds,
 * but both resume in the same turn, which doubles every block. @internal
 */
export type Exclusive = <T>(job: () => Promise<T>) => Promise<T>;

/**
 * Reads one snapshot file without trusting it: opened with `O_NOFOLLOW` (a symbolic link is
 * refused, so nothing outside the directory is read, not `/dev/zero` either) and `O_NONBLOCK` (a
 * FIFO cannot block the open, nor hold a libuv thread), then checked on the open descriptor to be
 * a regular file of at most `maxBytes`, read up to that size, parsed and validated: a record at a
 * time for format 2 (what this version writes; only the text and the outline of its metrics are
 * kept, a merge parses it again as it folds it: see `checkSnapshotV2`), in one `JSON.parse` for
 * format 1 (what earlier versions wrote, still read during a rolling upgrade). The parse and the
 * validation run through `exclusive`, so that files read in parallel are checked one at a time.
 * @internal
 */
export async function readSnapshotFile(path: string, maxBytes: number, exclusive: Exclusive = (job) => job()): Promise<FileCheck> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK') return { ok: false, reason: 'a symbolic link (links are not followed)' };
    return { ok: false, reason: `cannot be opened: ${code ?? (error as Error).message}` };
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { ok: false, reason: 'not a regular file (a FIFO, socket, device or directory)' };
    if (stats.size > maxBytes) return { ok: false, reason: `${stats.size} bytes, larger than the ${maxBytes}-byte limit` };
    // One byte more than the limit tells a file that grew after the stat.
    const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) return { ok: false, reason: `larger than the ${maxBytes}-byte limit` };
    const text = buffer.toString('utf8', 0, length);
    return await exclusive(async () => {
      if (looksLikeV2(text)) return checkSnapshotV2(text);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        return { ok: false, reason: `not valid JSON (${(error as Error).message})` };
      }
      return validateSnapshotSliced(parsed);
    });
  } catch (error) {
    return { ok: false, reason: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

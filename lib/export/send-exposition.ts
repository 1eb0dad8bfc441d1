import type { ServerResponse } from 'node:http';
import type { MetricsExposition, StreamedMetricsExposition } from './metrics-exposition.service.js';

/**
 * A body about to be sent: `whole` when it fits in one chunk (sent as before, with
 * `Content-Length`), else the chunks read so far (`head`) and the iterator of the rest.
 * @internal
 */
export type PreparedBody =
  | { readonly whole: string; readonly head?: undefined; readonly rest?: undefined }
  | { readonly whole?: undefined; readonly head: readonly string[]; readonly rest: AsyncIterator<string> };

/**
 * Reads the start of an exposition, before any header is sent, so a rendering that fails at once
 * (a failing `collect()`) still answers 500: a body of one chunk comes back whole; a longer one as
 * its first two chunks plus the iterator of the rest.
 * @internal
 */
export async function prepareBody(exposition: MetricsExposition | StreamedMetricsExposition): Promise<PreparedBody> {
  if (!('chunks' in exposition)) return { whole: exposition.body };
  const rest = exposition.chunks[Symbol.asyncIterator]();
  const first = await rest.next();
  if (first.done === true) return { whole: '' };
  const second = await rest.next();
  if (second.done === true) return { whole: first.value };
  return { head: [first.value, second.value], rest };
}

/** Stops a rendering that will not be read further; a rejection of its cleanup is ignored. @internal */
export function stopBody(body: PreparedBody): void {
  if (body.rest?.return !== undefined) void body.rest.return().catch(() => undefined);
}

/**
 * Sends `body` on `res` (status 200, `headers` plus `Content-Type`): whole with `Content-Length`,
 * or chunk by chunk as the rendering hands them out, without `Content-Length` (chunked transfer
 * encoding). Each chunk is written when the previous one was accepted (`write()` returning false
 * waits for 'drain'), so a slow client holds one chunk, not the whole body, and pauses the
 * rendering. A client that goes away stops the rendering; a rendering that fails midway destroys
 * the response (the client sees a truncated chunked body, never a short one that looks complete).
 * For `HEAD`, the rendering stops after its first chunks and no `Content-Length` is sent.
 * @returns the error of a rendering that failed after the headers were sent, if one did
 * @internal
 */
export async function sendBody(
  res: ServerResponse,
  body: PreparedBody,
  contentType: string,
  headers: Readonly<Record<string, string>>,
  head: boolean,
): Promise<Error | undefined> {
  if (body.whole !== undefined) {
    res.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body.whole) });
    res.end(head ? undefined : body.whole);
    return undefined;
  }
  res.writeHead(200, { ...headers, 'Content-Type': contentType });
  if (head) {
    stopBody(body);
    res.end();
    return undefined;
  }
  const gone = whenClosed(res);
  try {
    for (const chunk of body.head) {
      if (!(await write(res, chunk, gone.promise))) return undefined;
    }
    for (;;) {
      const next = await body.rest.next();
      if (next.done === true) break;
      if (!(await write(res, next.value, gone.promise))) return undefined;
    }
    res.end();
    return undefined;
  } catch (error) {
    res.destroy();
    return error as Error;
  } finally {
    gone.dispose();
    // Stops the rendering when the client went away (a finished iterator ignores it).
    stopBody(body);
  }
}

/** Writes `chunk`; waits for 'drain' when the socket's buffer is full. `false` once the response is closed. */
async function write(res: ServerResponse, chunk: string, closed: Promise<void>): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(chunk)) return true;
  if (res.destroyed) return false;
  let onDrain: (() => void) | undefined;
  const drained = new Promise<boolean>((resolve) => {
    onDrain = () => resolve(true);
    res.once('drain', onDrain);
  });
  const open = await Promise.race([drained, closed.then(() => false)]);
  res.off('drain', onDrain as () => void);
  return open && !res.destroyed;
}

/** A promise settled when `res` closes (client gone or response finished), and its listener's removal. */
function whenClosed(res: ServerResponse): { promise: Promise<void>; dispose: () => void } {
  let onClose: (() => void) | undefined;
  const promise = new Promise<void>((resolve) => {
    onClose = () => resolve();
    if (res.closed) resolve();
    else res.once('close', onClose);
  });
  return { promise, dispose: () => res.off('close', onClose as () => void) };
}

/** Every chunk of a prepared body, the ones read already first; stopping the iteration stops the rendering. @internal */
export async function* remainingChunks(body: PreparedBody): AsyncGenerator<string> {
  if (body.whole !== undefined) {
    yield body.whole;
    return;
  }
  try {
    yield* body.head;
    for (;;) {
      const next = await body.rest.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    stopBody(body);
  }
}

// The HTTP client of bench/multiprocess/aggregate-scrape.ts, in its own process so that receiving
// 22.7 MB does not run on the event loop being measured: for each `{ url }` message, GETs it,
// hashes the body as it arrives (nothing kept) and answers with status, size, hash and headers.
import { createHash } from 'node:crypto';
import { get } from 'node:http';

interface Download {
  readonly status?: number;
  readonly bytes?: number;
  readonly sha256?: string;
  readonly chunked?: boolean;
  readonly contentType?: string;
  readonly error?: string;
}

const send = (message: Download | { ready: true }): void => {
  process.send?.(message);
};

process.on('message', (message: { url: string }) => {
  get(message.url, (res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    res.on('end', () =>
      send({
        status: res.statusCode,
        bytes,
        sha256: hash.digest('hex'),
        chunked: res.headers['transfer-encoding'] === 'chunked',
        contentType: res.headers['content-type'],
      }),
    );
    res.on('error', (error) => send({ error: error.message }));
  }).on('error', (error) => send({ error: error.message }));
});
process.on('disconnect', () => process.exit(0));
send({ ready: true });

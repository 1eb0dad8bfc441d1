// Memory and series after 100,000 requests to distinct unknown URLs, on a server started with
// --expose-gc: heap (after a full GC) and the number of HTTP series, before and after.
// Usage: node build/bench/http-quick/unknown-urls.js [express|fastify] [requests=100000]
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const adapter = process.argv[2] ?? 'fastify';
const amount = Number(process.argv[3] ?? 100_000);
const child = fork(fileURLToPath(new URL('./server.js', import.meta.url)), [adapter, 'http-only'], { execArgv: ['--expose-gc'] });
const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
const ask = <T>(message: string, key: string): Promise<T> =>
  new Promise((resolve) => {
    child.once('message', (m) => resolve((m as Record<string, T>)[key]!));
    child.send(message);
  });
const series = async (): Promise<number> =>
  (await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).split('\n').filter((l) => l.startsWith('nestjs_http_')).length;

let n = 0;
const hit = (count: number): Promise<unknown> =>
  autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 10,
    amount: count,
    requests: [{ setupRequest: (request) => ({ ...request, path: `/unknown/${n++}-${Math.random().toString(36).slice(2)}` }) }],
  });
await hit(10_000);
const before = { heap: await ask<number>('heap', 'heap'), series: await series() };
await hit(amount);
const after = { heap: await ask<number>('heap', 'heap'), series: await series() };
console.log(JSON.stringify({
  adapter, requests: amount,
  seriesBefore: before.series, seriesAfter: after.series,
  heapBeforeMiB: +(before.heap / 2 ** 20).toFixed(1), heapAfterMiB: +(after.heap / 2 ** 20).toFixed(1),
}));
child.send('exit');

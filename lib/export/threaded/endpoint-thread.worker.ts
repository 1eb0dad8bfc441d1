// Entry point of the exporter thread started by PrometheusEndpointThread: owns the HTTP server, asks
// the main thread for a fresh exposition on each scrape and, when the main thread does not answer in
// time (its event loop is blocked), serves the last exposition it received. @internal
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { createMetricsRequestHandler, ExpositionUnavailableError, type ServedExposition } from '../metrics-request-handler.js';
import type { EndpointThreadData, FromEndpointThread, ToEndpointThread } from './endpoint-thread-messages.js';

if (parentPort === null) throw new Error('nest-prometheus: endpoint-thread.worker.js runs as a worker thread only');
const port = parentPort;
const data = workerData as EndpointThreadData;
const post = (message: FromEndpointThread): void => port.postMessage(message);

let last: { contentType: string; body: string; at: number } | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (e: ServedExposition) => void; reject: (e: Error) => void }>();
/** Parts of renderings under way, by request id (a large exposition comes in chunks). */
const parts = new Map<number, string[]>();

function ask(): Promise<ServedExposition> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      if (last === undefined) {
        reject(new ExpositionUnavailableError('the main thread is busy and has not rendered the metrics yet'));
      } else {
        const age = ((Date.now() - last.at) / 1000).toFixed(3);
        resolve({ contentType: last.contentType, body: last.body, headers: { 'X-Metrics-Stale-Seconds': age } });
      }
    }, data.freshTimeoutMs);
    pending.set(id, {
      resolve: (e) => (clearTimeout(timer), resolve(e)),
      reject: (e) => (clearTimeout(timer), reject(e)),
    });
    post({ type: 'render', id });
  });
}

const handle = createMetricsRequestHandler({ source: ask, token: data.token, onError: (message) => post({ type: 'warn', message }) });
const server = createServer((req, res) => void handle(req, res));

port.on('message', (message: ToEndpointThread) => {
  if (message.type === 'rendered-part') {
    // Kept even for a request that timed out meanwhile: the whole body becomes the next stale answer.
    const list = parts.get(message.id);
    if (list === undefined) parts.set(message.id, [message.part]);
    else list.push(message.part);
  } else if (message.type === 'rendered') {
    // Joined in this thread: the main thread only ever handles one chunk at a time.
    const earlier = parts.get(message.id);
    parts.delete(message.id);
    const body = earlier === undefined ? message.body : earlier.join('') + message.body;
    last = { contentType: message.contentType, body, at: Date.now() };
    pending.get(message.id)?.resolve(last);
    pending.delete(message.id);
  } else if (message.type === 'render-failed') {
    parts.delete(message.id);
    pending.get(message.id)?.reject(new Error(message.message));
    pending.delete(message.id);
  } else if (message.type === 'close') {
    server.close(() => port.close());
    server.closeAllConnections();
  }
});

/** Tries the ports in order; a taken or privileged port of a list moves on to the next one. */
function listenOn(index: number): void {
  const candidate = data.ports[index] as number;
  const onError = (error: NodeJS.ErrnoException): void => {
    server.off('listening', onListening);
    const unavailable = error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EPERM';
    if (unavailable && data.range) {
      if (index + 1 < data.ports.length) return listenOn(index + 1);
      post({ type: 'no-free-port' });
    } else {
      post({ type: 'listen-error', port: candidate, code: error.code, message: error.message });
    }
    port.close();
  };
  const onListening = (): void => {
    server.off('error', onError);
    const address = server.address() as AddressInfo;
    post({ type: 'listening', port: address.port, address: address.address });
  };
  server.once('error', onError);
  server.once('listening', onListening);
  server.listen({ port: candidate, host: data.address, exclusive: true });
}
listenOn(0);

// What the Node server hooks (Express) read at a response's end besides the public response API,
// and what they do when it is not there: the status from the header block Node wrote (`_header`),
// the headers through Node's own `getHeader`, and `res.statusCode` / `res.getHeader()` for a
// response without such a block (Node's HTTP/2 compatibility API).
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttp2Server, connect as connectHttp2 } from 'node:http2';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import { startApp, type StartedApp } from '../support/adapters.js';
import { httpTestModule } from './support/http-test-app.js';

const P = 'nestjs_http_';
const HERE = dirname(fileURLToPath(import.meta.url));
const dist = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(HERE, '../../../dist/http', path)).href)) as T;

interface ExpressLike {
  get(path: string, handler: (req: unknown, res: import('node:http').ServerResponse) => void): unknown;
}

describe('statusOfHead', async () => {
  const { statusOfHead } = await dist<{ statusOfHead(head: string): number }>('node-server-hooks.js');

  it('reads the three digits of the status line Node writes', () => {
    assert.equal(statusOfHead('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n'), 200);
    assert.equal(statusOfHead('HTTP/1.1 404 Not Found\r\n\r\n'), 404);
    assert.equal(statusOfHead('HTTP/1.1 999 \r\n\r\n'), 999);
    assert.equal(statusOfHead('HTTP/1.1 100 Continue\r\n\r\n'), 100);
  });

  it('answers −1 for anything else', () => {
    for (const head of ['', 'HTTP/1.1', 'HTTP/1.1 20 OK\r\n', 'HTTP/1.1 2000 OK\r\n', 'HTTP/1.1 099 X\r\n', 'HTTP/1.1 2x0 X\r\n', 'HTTP/1.1 -20 X\r\n', 'HTTX/1.1 200 OK\r\n', 'HTTP/1.1  200 OK\r\n']) {
      assert.equal(statusOfHead(head), -1, JSON.stringify(head));
    }
  });
});

describe('Express: what the end hook reads from the response', () => {
  const registry = new Registry();
  let app: StartedApp;

  before(async () => {
    app = await startApp(httpTestModule({ registry, defaultMetrics: false }), 'express', {
      configure: (a) => {
        const express = a.getHttpAdapter().getInstance() as ExpressLike;
        // The status sent is 201; the code changed afterwards is not what the client got.
        express.get('/sent-then-changed', (_req, res) => {
          res.writeHead(201, { 'Content-Type': 'text/plain; charset=ISO-8859-1', 'Content-Length': '2' });
          res.statusCode = 500;
          res.end('ok');
        });
      },
    });
  });
  after(() => app?.close());

  it('counts the status, size and charset the client received', async () => {
    const s0 = await saveRegistry(registry);
    const res = await fetch(`${app.url}/sent-then-changed`);
    assert.equal(res.status, 201);
    assert.equal(await res.text(), 'ok');
    await assertMetricDiff(s0, 1, `${P}responses_total_by_status_total`, { status: '201' });
    await assertMetricDiff(s0, 0, `${P}responses_total_by_status_total`, { status: '500' });
    await assertMetricDiff(s0, 2, `${P}responses_body_total_bytes_sum`);
    await assertMetricDiff(s0, 1, `${P}responses_total_by_charset_total`, { charset: 'iso-8859-1' });
  });

  it('reads the headers a Nest handler set', async () => {
    const s0 = await saveRegistry(registry);
    const res = await fetch(`${app.url}/help`);
    const body = await res.text();
    assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(body)));
    await assertMetricDiff(s0, 1, `${P}responses_total_by_status_total`, { status: String(res.status) });
    await assertMetricDiff(s0, Buffer.byteLength(body), `${P}responses_body_total_bytes_sum`);
    await assertMetricDiff(s0, 1, `${P}responses_total_by_charset_total`, { charset: 'utf-8' });
  });
});

interface Counts { readonly count: number; readonly sum: number }
interface Store { readonly views: Map<string, { readonly status: string; readonly count: number }>; readonly responseBody: Counts }

describe('Node server hooks on an HTTP/2 compatibility response (no header block of Node\'s HTTP/1)', () => {
  it('reads the status and headers through the public response API', async () => {
    const { HttpMetricsStore } = await dist<{ HttpMetricsStore: new (buckets: number[]) => Store }>('http-metrics.store.js');
    const { HttpRecorder } = await dist<{ HttpRecorder: new (store: Store, config: object, template: () => undefined) => object }>('http-recorder.js');
    const { installNodeServerHooks } = await dist<{ installNodeServerHooks(server: Server, recorder: object): () => void }>('node-server-hooks.js');
    const store = new HttpMetricsStore([0.1, 1]);
    const recorder = new HttpRecorder(store, { viewLabel: 'handler', exclude: [], countAbortedRequests: true }, () => undefined);
    // The hooks' `close` listener is added before the handler runs, so it runs before this one.
    let closed: Promise<unknown> | undefined;
    const server = createHttp2Server((_req, res) => {
      closed = once(res, 'close');
      res.writeHead(202, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '5' });
      res.end('h2 ok');
    });
    const uninstall = installNodeServerHooks(server as unknown as Server, recorder);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = connectHttp2(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const stream = client.request({ ':path': '/' });
      const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
      stream.resume();
      await once(stream, 'end');
      assert.equal(headers[':status'], 202);
      assert.ok(closed !== undefined, 'the handler ran');
      await closed;
      assert.deepEqual([...store.views.values()].map((series) => [series.status, series.count]), [['202', 1]]);
      assert.equal(store.responseBody.count, 1);
      assert.equal(store.responseBody.sum, 5);
    } finally {
      uninstall();
      client.close();
      server.close();
    }
  });
});

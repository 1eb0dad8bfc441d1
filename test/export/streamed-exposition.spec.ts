// Large expositions are streamed: rendered in chunks of about 64 KB and written to the response as
// they come (backpressure, client disconnect), on every path that serves them: the module's
// controller (Express and Fastify, with and without compression), the module's separate port
// (in the event loop and in a worker thread), the standalone endpoint server, and the
// multiprocess directory source. Every body is compared byte for byte with `registry.metrics()`.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyCompress from '@fastify/compress';
import compression from 'compression';
import {
  MetricsExpositionService,
  PrometheusEndpointServer,
  PrometheusEndpointThread,
  PrometheusModule,
  renderRegistry,
  renderRegistryChunks,
  resolvePrometheusConfig,
  setupPrometheusExportsFromConfig,
  type StreamedMetricsExposition,
} from 'nest-prometheus';
import { Gauge, Histogram, Registry, type OpenMetricsContentType } from 'prom-client';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { freePorts } from '../fixtures/child-process.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const dist = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(HERE, '../../../dist', path)).href)) as T;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** A registry of about 2.8 MB of exposition: 1,500 histogram series plus label values beyond ASCII. */
function largeRegistry(series = 1_500): Registry {
  const registry = new Registry();
  const histogram = new Histogram({
    name: 'streamed_latency_seconds',
    help: 'Seeded series for the streaming tests.',
    labelNames: ['view', 'method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120],
    registers: [registry],
  });
  for (let i = 0; i < series; i++) {
    histogram.observe({ view: `StreamController.handler${Math.floor(i / METHODS.length)}`, method: METHODS[i % METHODS.length] as string }, (i % 97) / 10);
  }
  const gauge = new Gauge({ name: 'streamed_names', help: 'Label values with multi-byte characters: é, 漢, 😀.', labelNames: ['name'], registers: [registry] });
  for (let i = 0; i < 2_000; i++) gauge.set({ name: `名前-😀-${i}-é` }, i);
  return registry;
}

interface Download {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** GET through node:http (raw bytes, raw headers); `slow` reads one chunk per timer turn, paused in between. */
function download(url: string, options: { gzip?: boolean; slow?: boolean; method?: string } = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    const headers = options.gzip === true ? { 'accept-encoding': 'gzip' } : {};
    request(url, { headers, method: options.method ?? 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      if (options.slow !== true) {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        return;
      }
      // A slow reader: at most one 16 KB read per timer turn, the socket paused in between.
      const readSome = (): void => {
        const chunk = res.read(16_384) as Buffer | null ?? (res.read() as Buffer | null);
        if (chunk !== null) chunks.push(chunk);
        if (!res.readableEnded) setTimeout(readSome, 1);
      };
      res.on('readable', () => undefined);
      setTimeout(readSome, 1);
    })
      .on('error', reject)
      .end();
  });
}

/** Starts a GET and destroys the connection once the first bytes of the body have arrived. */
function disconnectMidBody(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      res.once('data', (chunk: Buffer) => {
        req.destroy();
        resolve(chunk.length);
      });
      res.on('error', () => undefined);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET') reject(error);
    });
    req.end();
  });
}

/** Unhandled rejections and process warnings seen while a test runs. */
const troubles: string[] = [];
const onRejection = (reason: unknown): void => {
  troubles.push(`unhandledRejection: ${String(reason)}`);
};
const onWarning = (warning: Error): void => {
  troubles.push(`warning: ${warning.name}: ${warning.message}`);
};
beforeEach(() => {
  troubles.length = 0;
  process.on('unhandledRejection', onRejection);
  process.on('warning', onWarning);
});
afterEach(() => {
  process.off('unhandledRejection', onRejection);
  process.off('warning', onWarning);
});

/** Waits until the event loop has gone round a few times (pending closes and rejections surface). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function assertStreamed(res: Download, contentType: string): void {
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], contentType);
  assert.equal(res.headers['transfer-encoding'], 'chunked');
  assert.equal(res.headers['content-length'], undefined);
}

class RecordingLogger {
  readonly warnings: string[] = [];
  log(): void {}
  warn(message: string): void {
    this.warnings.push(message);
  }
}

describe('renderRegistryChunks', () => {
  it('hands out chunks of about chunkChars whose concatenation is registry.metrics(), each valid UTF-8 on its own', async () => {
    const registry = largeRegistry(300);
    const chunks: string[] = [];
    for await (const chunk of renderRegistryChunks(registry, { chunkChars: 4_096 })) chunks.push(chunk);
    const expected = await registry.metrics();
    assert.ok(chunks.length > 10, `${chunks.length} chunks`);
    assert.equal(chunks.join(''), expected);
    assert.ok(chunks.slice(0, -1).every((chunk) => chunk.length >= 4_096 && chunk.length < 8_192));
    assert.deepEqual(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))), Buffer.from(expected));
    assert.equal(await renderRegistry(registry), expected);
  });

  it('slices an OpenMetrics exposition (rendered by prom-client) without splitting a surrogate pair', async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const gauge = new Gauge({ name: 'om_names', help: 'h', labelNames: ['name'], registers: [registry] });
    for (let i = 0; i < 500; i++) gauge.set({ name: `😀😀${i}` }, i);
    const expected = await registry.metrics();
    for (const chunkChars of [2, 3, 101, 1_000]) {
      const chunks: string[] = [];
      for await (const chunk of renderRegistryChunks(registry, { chunkChars })) chunks.push(chunk);
      assert.deepEqual(Buffer.concat(chunks.map((chunk) => Buffer.from(chunk))), Buffer.from(expected), `chunkChars ${chunkChars}`);
    }
  });

  it('checks its options when called', () => {
    assert.throws(() => renderRegistryChunks(new Registry(), { chunkChars: 1 }), /option `chunkChars` is 1; accepted: an integer >= 2/);
    assert.throws(() => renderRegistryChunks(new Registry(), { sliceMs: -1 }), /renderRegistryChunks: option `sliceMs` is -1/);
  });
});

describe('PrometheusEndpointServer: streamed bodies', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function serve(options: ConstructorParameters<typeof PrometheusEndpointServer>[0]): Promise<string> {
    const server = new PrometheusEndpointServer(options);
    cleanups.push(() => server.close());
    await server.start();
    return `http://127.0.0.1:${server.port}/metrics`;
  }

  it('streams a large registry byte for byte, chunked; a small one keeps Content-Length; HEAD sends no body', async () => {
    const registry = largeRegistry();
    const url = await serve({ port: 0, address: '127.0.0.1', registry, logger: new RecordingLogger() });
    const res = await download(url);
    assertStreamed(res, registry.contentType);
    assert.deepEqual(res.body, Buffer.from(await registry.metrics()));
    const head = await download(url, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);

    const small = new Registry();
    new Gauge({ name: 'small_value', help: 'h', registers: [small] }).set(1);
    const smallRes = await download(await serve({ port: 0, address: '127.0.0.1', registry: small, logger: new RecordingLogger() }));
    assert.equal(smallRes.headers['content-length'], String(Buffer.byteLength(await small.metrics())));
    assert.equal(smallRes.body.toString(), await small.metrics());
  });

  it('a slow reader still gets the whole body', async () => {
    const registry = largeRegistry();
    const url = await serve({ port: 0, address: '127.0.0.1', registry, logger: new RecordingLogger() });
    const res = await download(url, { slow: true });
    assertStreamed(res, registry.contentType);
    assert.deepEqual(res.body, Buffer.from(await registry.metrics()));
  });

  it('a client that disconnects mid-body stops the rendering; no error, no warning, the next scrape works', async () => {
    let produced = 0;
    let stopped: () => void = () => undefined;
    const rendering = new Promise<void>((resolve) => (stopped = resolve));
    const chunk = `${'x'.repeat(65_535)}\n`;
    let calls = 0;
    const source = async (): Promise<StreamedMetricsExposition> => {
      calls++;
      if (calls > 1) return { contentType: 'text/plain', chunks: renderRegistryChunks(largeRegistry(100)) };
      return {
        contentType: 'text/plain',
        chunks: (async function* () {
          try {
            // 1,000 chunks (64 MB): far more than the socket buffers hold.
            for (let i = 0; i < 1_000; i++) {
              produced++;
              yield chunk;
            }
          } finally {
            stopped();
          }
        })(),
      };
    };
    const logger = new RecordingLogger();
    const url = await serve({ port: 0, address: '127.0.0.1', source, logger });
    await disconnectMidBody(url);
    await rendering;
    assert.ok(produced < 1_000, `rendered ${produced} of 1000 chunks`);
    const next = await download(url);
    assert.equal(next.status, 200);
    assert.match(next.body.toString(), /^streamed_latency_seconds_count/m);
    await settle();
    assert.deepEqual(logger.warnings, []);
    assert.deepEqual(troubles, []);
  });

  it('a rendering that fails before its first chunk answers 500; one that fails midway cuts the body and is logged', async () => {
    let mode: 'early' | 'late' = 'early';
    const source = async (): Promise<StreamedMetricsExposition> => ({
      contentType: 'text/plain',
      chunks: (async function* () {
        if (mode === 'early') throw new Error('collect failed early');
        for (let i = 0; i < 4; i++) yield 'y'.repeat(65_536);
        throw new Error('collect failed late');
      })(),
    });
    const logger = new RecordingLogger();
    const url = await serve({ port: 0, address: '127.0.0.1', source, logger });
    const early = await download(url);
    assert.equal(early.status, 500);
    mode = 'late';
    await assert.rejects(download(url), (error: NodeJS.ErrnoException) => error.code === 'ECONNRESET' || /aborted/.test(error.message));
    await settle();
    assert.deepEqual(logger.warnings, [
      'metrics collection failed: collect failed early',
      'metrics collection failed while sending: collect failed late',
    ]);
    assert.deepEqual(troubles, []);
  });

  it('the worker-thread port sends the same bytes (the main thread posts the chunks, the thread joins them)', async () => {
    const registry = largeRegistry();
    const thread = new PrometheusEndpointThread({ port: 0, address: '127.0.0.1', registry, logger: new RecordingLogger() });
    cleanups.push(() => thread.close());
    await thread.start();
    const res = await download(`http://127.0.0.1:${thread.port}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], registry.contentType);
    assert.deepEqual(res.body, Buffer.from(await registry.metrics()));
  });
});

describe('multiprocess directory source: streamed', () => {
  const dirs: string[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the aggregate of the files byte for byte what registry.metrics() renders of it', async () => {
    type Snapshot = { pid: number };
    type Input = { snapshot: Snapshot; gone: boolean };
    const { MultiprocessDirectory } = await dist<{
      MultiprocessDirectory: new (dir: string, logger: { warn(message: string): void }) => {
        write(snapshot: Snapshot): Promise<void>;
        read(): Promise<{ inputs: Input[]; skipped: number }>;
      };
    }>('multiprocess/multiprocess-directory.js');
    const { snapshotRegistry } = await dist<{ snapshotRegistry: (registry: Registry) => Promise<Snapshot> }>('multiprocess/snapshot-registry.js');
    const { aggregateSnapshots } = await dist<{ aggregateSnapshots: (inputs: Input[]) => Promise<Registry> }>('multiprocess/aggregate-snapshots.js');
    const { addSkippedFilesGauge } = await dist<{ addSkippedFilesGauge: (r: Registry, ns: string, n: number) => void }>('multiprocess/skipped-files-gauge.js');
    const dir = mkdtempSync(join(tmpdir(), 'nest-prom-stream-'));
    dirs.push(dir);
    const quiet = { warn: () => undefined };
    for (const pid of [101, 102, 103]) await new MultiprocessDirectory(dir, quiet).write({ ...(await snapshotRegistry(largeRegistry(600))), pid });
    const [port] = await freePorts(1);
    const server = await setupPrometheusExportsFromConfig(
      { multiprocessDir: dir, export: { port, address: '127.0.0.1' } },
      { logger: new RecordingLogger() },
    );
    assert.ok(server !== null);
    cleanups.push(() => server.close());
    const res = await download(`http://127.0.0.1:${port}/metrics`);
    assertStreamed(res, 'text/plain; version=0.0.4; charset=utf-8');
    const { inputs, skipped } = await new MultiprocessDirectory(dir, quiet).read();
    const expected = await aggregateSnapshots(inputs);
    addSkippedFilesGauge(expected, resolvePrometheusConfig({}).namespace, skipped);
    assert.deepEqual(res.body, Buffer.from(await expected.metrics()));
  });
});

for (const adapter of ADAPTERS) {
  describe(`module /metrics controller and separate port, streamed (${adapter})`, () => {
    const opened: StartedApp[] = [];
    after(async () => {
      await Promise.all(opened.splice(0).map((app) => app.close()));
    });

    async function start(registry: Registry, options: { port?: number; compress?: boolean } = {}): Promise<StartedApp> {
      const exportOptions = options.port === undefined ? {} : { export: { port: options.port, address: '127.0.0.1' } };
      @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, ...exportOptions })] })
      class AppModule {}
      const app = await startApp(AppModule, adapter, {
        configure:
          options.compress === true
            ? async (nest, name) => {
                if (name === 'express') nest.use(compression({ threshold: 0 }));
                else await (nest as NestFastifyApplication).register(fastifyCompress, { threshold: 0 });
              }
            : undefined,
      });
      opened.push(app);
      return app;
    }

    it('the controller streams a large registry byte for byte; so does the separate port', async () => {
      const registry = largeRegistry();
      const [port] = await freePorts(1);
      const app = await start(registry, { port });
      const res = await download(`${app.url}/metrics`);
      assertStreamed(res, registry.contentType);
      const expected = Buffer.from(await registry.metrics());
      assert.deepEqual(res.body, expected);
      const viaPort = await download(`http://127.0.0.1:${port}/metrics`);
      assertStreamed(viaPort, registry.contentType);
      assert.deepEqual(viaPort.body, expected);
    });

    it('a client that disconnects mid-body leaves the app healthy, a slow reader gets the whole body', async () => {
      const registry = largeRegistry();
      const app = await start(registry);
      const expected = Buffer.from(await registry.metrics());
      await disconnectMidBody(`${app.url}/metrics`);
      const next = await download(`${app.url}/metrics`);
      assert.deepEqual(next.body, expected);
      const slow = await download(`${app.url}/metrics`, { slow: true });
      assertStreamed(slow, registry.contentType);
      assert.deepEqual(slow.body, expected);
      await settle();
      assert.deepEqual(troubles, []);
    });

    it('a client that disconnects mid-body stops the rendering (the chunk iteration ends early)', async () => {
      const registry = largeRegistry(6_000);
      const app = await start(registry);
      const service = app.app.get(MetricsExpositionService);
      const original = service.stream.bind(service);
      let taken = 0;
      let total = 0;
      for await (const _chunk of renderRegistryChunks(registry)) total++;
      let ended: () => void = () => undefined;
      const iterationEnded = new Promise<void>((resolve) => (ended = resolve));
      // The real rendering, counted: how many chunks were asked for before the iteration ended.
      service.stream = async () => {
        const exposition = await original();
        return {
          contentType: exposition.contentType,
          chunks: (async function* () {
            try {
              for await (const chunk of exposition.chunks) {
                taken++;
                yield chunk;
              }
            } finally {
              ended();
            }
          })(),
        };
      };
      await disconnectMidBody(`${app.url}/metrics`);
      await iterationEnded;
      assert.ok(taken < total, `${taken} of ${total} chunks rendered`);
      await settle();
      assert.deepEqual(troubles, []);
    });

    it('through response compression, the streamed body gunzips to the same bytes', async () => {
      const registry = largeRegistry();
      const app = await start(registry, { compress: true });
      const res = await download(`${app.url}/metrics`, { gzip: true });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], 'gzip');
      assert.equal(res.headers['content-type'], registry.contentType);
      assert.deepEqual(gunzipSync(res.body), Buffer.from(await registry.metrics()));
    });

    it('a small registry is still sent whole, with Content-Length', async () => {
      const registry = new Registry();
      new Gauge({ name: 'small_value', help: 'h', registers: [registry] }).set(2);
      const app = await start(registry);
      const res = await download(`${app.url}/metrics`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], registry.contentType);
      assert.equal(res.body.toString(), await registry.metrics());
      assert.equal(res.headers['content-length'], String(res.body.length));
    });
  });
}

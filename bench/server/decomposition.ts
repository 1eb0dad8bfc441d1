// The variants of the pinned benchmark (bench/pinned/) that take nest-prometheus apart, and the
// floor: the least instrumentation that still sees every request start and end.
import type { IncomingMessage, Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { DynamicModule } from '@nestjs/common';
import type { AdapterName } from './variants.js';

/**
 * - `floor`: bare + adapter hooks at the two points the package uses (Fastify `onRequest` and
 *   `onResponse`; Express: a listener prepended to the server's `request` event and a `close`
 *   listener on the response), the end hook adding one to a plain counter; nothing else.
 * - `floor-abort` (Fastify): the floor plus an empty `onRequestAbort` hook, the package's third hook.
 * - `floor-store`: the floor whose end hook writes a plain in-process store instead of one counter:
 *   the request's series found by view, method and status (two map lookups of strings whose hashes
 *   are cached, and an array indexed by status code, so nothing is built per request), its count
 *   and its latency observed into typed-array buckets, nothing else (no sizes, charset, handler
 *   latency or exception type, which `forRoot()` also records). The least store that keeps what
 *   every dashboard reads first (requests and latency by view, method and status).
 * - `floor-key`: the same store reached as `../shared/FACTS.md` measured it for its floor (+2.7 µs,
 *   the figure issue 16 cites): one map lookup by a `view|method|status` string built per request.
 *   In both, the latency is Fastify's own clock (`reply.elapsedTime`, as the package reads it) or two
 *   `performance.now()` reads (Express, the start carried in a `close` listener per response), and the view the route template, read as cheaply as each
 *   adapter allows (Fastify: the route context, found once by its symbol's description, since the
 *   public `request.routeOptions` getter builds a 12-field object per call; Express: `req.route.path`).
 * - `floor-data` (Fastify): the least hand-written instrumentation that records what the 19 HTTP
 *   families are computed from, for a request that throws nothing and renders no template: Fastify
 *   hooks only (`onRequest`, `preHandler`, `onResponse`, and one `close` listener per connection
 *   for the requests whose client went away: its last one, where the package also follows
 *   pipelined ones), writing a plain store: the series by view, method,
 *   status and transport (nested maps and an array, as `floor-store`) with its count and the
 *   handler's latency; the request's latency (Fastify's clock), request and response body sizes,
 *   streamed responses, the response's charset, AJAX requests, abandoned requests. Method bounded
 *   to the standard nine. Read as cheaply as `forRoot()` reads them (the reply's own header object,
 *   the route context). Not recorded: the exception type (Nest's exception filter answers before
 *   any Fastify hook could see it) and the template, neither of which this benchmark's route has.
 * - `np-nohttp`: `forRoot({ http: false, defaultMetrics: false })` (module, registry, controller).
 * - `np-hooks`: `defaultMetrics: false`, handler wrapper left out, the recorder's `end()` reduced
 *   to marking the request done: the package's adapter hooks and per-request state only.
 * - `np-wrapper`: `np-hooks` plus the handler wrapper.
 * - `np-recorder`: `np-wrapper` with the real `end()` (labels read, observation filled) but the
 *   store's `record()` a no-op.
 * - `np-nodm`: `defaultMetrics: false`, HTTP complete (adds the store).
 * - `np`: `forRoot()` defaults (adds default metrics).
 * - `np-noabort` (Fastify): `np` with `http: { countAbortedRequests: false }` (no connection watch).
 */
export const DECOMPOSITION_VARIANTS = ['floor', 'floor-abort', 'floor-store', 'floor-key', 'floor-data', 'np-nohttp', 'np-hooks', 'np-wrapper', 'np-recorder', 'np-nodm', 'np', 'np-noabort'] as const;
export type DecompositionVariant = (typeof DECOMPOSITION_VARIANTS)[number];

export function isDecompositionVariant(name: string): name is DecompositionVariant {
  return (DECOMPOSITION_VARIANTS as readonly string[]).includes(name);
}

/** The variants that instrument a bare app by hand (no nest-prometheus). */
const FLOOR_VARIANTS = ['floor', 'floor-abort', 'floor-store', 'floor-key', 'floor-data'] as const;
export type FloorVariant = (typeof FLOOR_VARIANTS)[number];

export function isFloorVariant(name: string): name is FloorVariant {
  return (FLOOR_VARIANTS as readonly string[]).includes(name);
}

/** A dist module of the package, by path (the bench reaches internals the exports map hides). */
async function distModule<T>(path: string): Promise<T> {
  return (await import(new URL(`../../../dist/${path}`, import.meta.url).href)) as T;
}

/** Patches the package's internals for the `np-*` variants; call before the app is created. */
export async function applyDecompositionPatches(variant: DecompositionVariant): Promise<void> {
  const noWrapper = variant === 'np-hooks';
  const endOnly = variant === 'np-hooks' || variant === 'np-wrapper';
  const noStore = variant === 'np-recorder';
  if (noWrapper) {
    // The package installs its handler wrapper only where this marker is absent.
    const marker = Symbol.for('nest-prometheus:handler-hooks');
    const { RouterExecutionContext } = await import('@nestjs/core/router/router-execution-context.js');
    const { ExceptionsHandler } = await import('@nestjs/core/exceptions/exceptions-handler.js');
    (RouterExecutionContext.prototype as unknown as Record<symbol, unknown>)[marker] = true;
    (ExceptionsHandler.prototype as unknown as Record<symbol, unknown>)[marker] = true;
  }
  if (endOnly) {
    const { HttpRecorder } = await distModule<{ HttpRecorder: { prototype: { end: (state: { done: boolean }) => void } } }>('http/http-recorder.js');
    HttpRecorder.prototype.end = function endOnly(state) {
      if (state.done) return;
      state.done = true;
    };
  }
  if (noStore) {
    const { HttpMetricsStore } = await distModule<{ HttpMetricsStore: { prototype: { record: () => void } } }>('http/http-metrics.store.js');
    HttpMetricsStore.prototype.record = function noStore() {};
  }
}

/** The `PrometheusModule` import of an `np-*` variant. */
export async function decompositionModule(variant: Exclude<DecompositionVariant, FloorVariant>): Promise<DynamicModule> {
  const { PrometheusModule } = await import('nest-prometheus');
  if (variant === 'np') return PrometheusModule.forRoot();
  if (variant === 'np-noabort') return PrometheusModule.forRoot({ http: { countAbortedRequests: false } });
  if (variant === 'np-nohttp') return PrometheusModule.forRoot({ http: false, defaultMetrics: false });
  return PrometheusModule.forRoot({ defaultMetrics: false });
}

/** Requests the floor hooks saw end (read by nothing; kept so the work cannot be optimised away). */
export let floorCount = 0;

interface FastifyLike {
  addHook(name: string, hook: (...args: unknown[]) => void): unknown;
  decorateRequest(name: string, value: number): unknown;
}

/** django-prometheus's latency bounds (seconds), as the package's default. */
const LATENCY_BOUNDS = Float64Array.from([0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 25, 50, 75]);

/** One series of the plain store: a request count and a latency histogram. */
class StoreCell {
  count = 0;
  sum = 0;
  readonly buckets = new Float64Array(LATENCY_BOUNDS.length + 1);
}

/** The store of `floor-store`: view → method → cells by status code (read by nothing, like `floorCount`). */
export const floorStore = new Map<string, Map<string, StoreCell[]>>();
/** The store of `floor-key`, by `view|method|status`. */
export const floorKeyStore = new Map<string, StoreCell>();

function observe(cell: StoreCell, seconds: number): void {
  cell.count++;
  cell.sum += seconds;
  let i = 0;
  while (i < LATENCY_BOUNDS.length && seconds > LATENCY_BOUNDS[i]!) i++;
  cell.buckets[i]!++;
}

function storeRecord(view: string, method: string, status: number, seconds: number): void {
  let byMethod = floorStore.get(view);
  if (byMethod === undefined) floorStore.set(view, (byMethod = new Map()));
  let byStatus = byMethod.get(method);
  if (byStatus === undefined) byMethod.set(method, (byStatus = []));
  let cell = byStatus[status];
  if (cell === undefined) byStatus[status] = cell = new StoreCell();
  observe(cell, seconds);
}

function keyRecord(view: string, method: string, status: number, seconds: number): void {
  const key = `${view}|${method}|${status}`;
  let cell = floorKeyStore.get(key);
  if (cell === undefined) floorKeyStore.set(key, (cell = new StoreCell()));
  observe(cell, seconds);
}

interface FastifyRequestLike {
  readonly method: string;
}
interface FastifyReplyLike {
  readonly statusCode: number;
  readonly elapsedTime: number;
}
interface FastifyRouteContext {
  readonly config?: { readonly url?: string };
}

/** The key of Fastify's route context on a request, found on the first request. */
let routeContextKey: symbol | undefined;

function fastifyView(request: object): string {
  routeContextKey ??= Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === 'fastify.context');
  if (routeContextKey === undefined) return '';
  return (request as Record<symbol, FastifyRouteContext | undefined>)[routeContextKey]?.config?.url ?? '';
}

/** Body sizes in buckets 0, 1, 2, 4 … 2^29 bytes, +Inf (the bucket from the value's bit length). */
class SizeCounts {
  sum = 0;
  readonly counts = new Float64Array(32);
  observe(bytes: number): void {
    this.counts[bytes <= 0 ? 0 : bytes > 536870912 ? 31 : 33 - Math.clz32(bytes - 1)]!++;
    this.sum += bytes;
  }
}

/** What `floor-data` records (read by nothing, like `floorCount`). */
class DataStore {
  /** By view, method, then status × 2 + TLS: requests and the handler's latency. */
  readonly series = new Map<string, Map<string, (StoreCell | undefined)[]>>();
  /** The request's latency, from Fastify's clock. */
  readonly latency = new StoreCell();
  readonly requestBytes = new SizeCounts();
  readonly responseBytes = new SizeCounts();
  readonly charsets = new Map<string, { count: number }>();
  /** The charset the last response counted, and its count (most responses repeat it). */
  lastCharset = '';
  charsetCell: { count: number } | undefined = undefined;
  streamed = 0;
  ajax = 0;
  abandoned = 0;
}
export const floorData = new DataStore();

function newCharsetCell(charset: string): { count: number } {
  const cell = { count: 0 };
  floorData.charsets.set(charset, cell);
  return cell;
}

/** The nine standard methods, anything else one label: a client cannot add series by inventing methods. */
function methodLabel(method: string): string {
  return method === 'GET' || method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE' || method === 'CONNECT' ? method : 'other';
}

/** The last Content-Type seen and its charset: an app's responses mostly repeat one. */
let lastContentType = '';
let lastCharset = '';
function charsetOf(contentType: string): string {
  if (contentType !== lastContentType) {
    const at = contentType.toLowerCase().indexOf('charset=');
    lastCharset = at === -1 ? '' : contentType.slice(at + 8).split(';')[0]!.trim().toLowerCase();
    lastContentType = contentType;
  }
  return lastCharset;
}

const IN_FLIGHT = Symbol('floor-data in flight');
interface DataSocket {
  [IN_FLIGHT]?: { readonly raw: { readonly aborted?: boolean } } | null;
  on(event: 'close', listener: (this: DataSocket) => void): unknown;
}
interface DataRequest {
  readonly method: string;
  readonly protocol: string;
  readonly headers: Record<string, string | undefined>;
  readonly socket: { readonly encrypted?: boolean };
  readonly raw: { readonly aborted?: boolean; readonly socket: DataSocket };
  floorHandlerStart: number;
}
interface DataReply {
  readonly statusCode: number;
  readonly elapsedTime: number;
}

function onDataConnectionClose(this: DataSocket): void {
  const request = this[IN_FLIGHT];
  this[IN_FLIGHT] = null;
  if (request !== undefined && request !== null && request.raw.aborted === true) floorData.abandoned++;
}

/** The key of Fastify's reply header object, found on the first reply (as `forRoot()` reads it). */
let replyHeadersKey: symbol | undefined;

function dataEnd(request: DataRequest, reply: DataReply): void {
  const now = performance.now();
  const store = floorData;
  const headers = request.headers;
  const https = headers['x-forwarded-proto'] === undefined ? request.socket.encrypted === true : request.protocol === 'https';
  if (headers['x-requested-with'] === 'XMLHttpRequest') store.ajax++;
  const requestLength = headers['content-length'];
  store.requestBytes.observe(requestLength === undefined ? 0 : Number(requestLength) || 0);
  observe(store.latency, reply.elapsedTime / 1000);
  replyHeadersKey ??= Object.getOwnPropertySymbols(reply).find((symbol) => symbol.description === 'fastify.reply.headers');
  const own = (reply as unknown as Record<symbol, Record<string, string | undefined>>)[replyHeadersKey!]!;
  const method = request.method;
  const status = reply.statusCode;
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) store.responseBytes.observe(0);
  else {
    const length = own['content-length'];
    if (length === undefined) store.streamed++;
    else store.responseBytes.observe(Number(length) || 0);
  }
  const contentType = own['content-type'];
  if (contentType !== undefined) {
    const charset = charsetOf(contentType);
    if (charset !== '') {
      if (charset !== store.lastCharset) store.charsetCell = store.charsets.get(charset) ?? newCharsetCell(charset);
      store.lastCharset = charset;
      store.charsetCell!.count++;
    }
  }
  const view = fastifyView(request);
  let byMethod = store.series.get(view);
  if (byMethod === undefined) store.series.set(view, (byMethod = new Map()));
  const label = methodLabel(method);
  let cells = byMethod.get(label);
  if (cells === undefined) byMethod.set(label, (cells = []));
  const slot = status * 2 + (https ? 1 : 0);
  let cell = cells[slot];
  if (cell === undefined) cells[slot] = cell = new StoreCell();
  observe(cell, (now - request.floorHandlerStart) / 1000);
}

function installDataFloor(fastify: FastifyLike): void {
  fastify.decorateRequest('floorHandlerStart', 0);
  fastify.addHook('onRequest', (request, _reply, done) => {
    const socket = (request as DataRequest).raw.socket;
    if (socket[IN_FLIGHT] === undefined) socket.on('close', onDataConnectionClose);
    socket[IN_FLIGHT] = request as DataRequest;
    (done as () => void)();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    (request as DataRequest).floorHandlerStart = performance.now();
    (done as () => void)();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    dataEnd(request as DataRequest, reply as DataReply);
    (request as DataRequest).raw.socket[IN_FLIGHT] = null;
    (done as () => void)();
  });
}

/** Installs a floor variant's hooks on the adapter's instance (Fastify) or HTTP server (Express). */
export function installFloor(adapter: AdapterName, target: unknown, variant: FloorVariant): void {
  const record = variant === 'floor-store' ? storeRecord : variant === 'floor-key' ? keyRecord : undefined;
  if (adapter === 'fastify') {
    const fastify = target as FastifyLike;
    if (variant === 'floor-data') {
      installDataFloor(fastify);
      return;
    }
    fastify.addHook('onRequest', (_request, _reply, done) => (done as () => void)());
    if (record !== undefined) {
      fastify.addHook('onResponse', (request, reply, done) => {
        const r = reply as FastifyReplyLike;
        record(fastifyView(request as object), (request as FastifyRequestLike).method, r.statusCode, r.elapsedTime / 1000);
        (done as () => void)();
      });
    } else {
      fastify.addHook('onResponse', (_request, _reply, done) => {
        floorCount++;
        (done as () => void)();
      });
    }
    if (variant === 'floor-abort') fastify.addHook('onRequestAbort', (_request, done) => (done as () => void)());
    return;
  }
  if (record !== undefined) {
    (target as Server).prependListener('request', (req: IncomingMessage & { route?: { path?: string } }, res) => {
      const start = performance.now();
      const method = req.method ?? '';
      res.on('close', () => {
        record(typeof req.route?.path === 'string' ? req.route.path : '', method, res.statusCode, (performance.now() - start) / 1000);
      });
    });
    return;
  }
  const onClose = () => {
    floorCount++;
  };
  (target as Server).prependListener('request', (_req, res) => {
    res.on('close', onClose);
  });
}

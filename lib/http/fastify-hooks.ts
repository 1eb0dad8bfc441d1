import { RequestEnd, type HttpRecorder } from './http-recorder.js';
import type { HttpRequestState } from './http-request-state.js';
import { declareRequestState, requestStateOf, type RequestDecorating } from './request-states.js';
import { charsetOf, contentLengthOf, isAjax, responseBytesOf } from './response-headers.js';

type Done = () => void;

/** The parts of Fastify's request, reply and instance the hooks use (Fastify stays an optional peer). @internal */
export interface FastifyRequestLike {
  readonly url: string;
  readonly method: string;
  readonly protocol?: string;
  readonly headers: Record<string, unknown>;
  readonly routeOptions?: { readonly url?: string };
  readonly socket?: { readonly encrypted?: boolean };
  /** Node's request: `aborted` once its connection closed before the response finished. */
  readonly raw?: { readonly aborted?: boolean; readonly socket?: WatchedConnection | null };
}
/** @internal */
export interface FastifyReplyLike {
  readonly statusCode: number;
  /** Milliseconds from Fastify's start of the request to its end (Fastify ≥ 4; 0 when it has none). */
  readonly elapsedTime?: number;
  getHeader(name: string): unknown;
}
/** @internal */
export interface FastifyInstanceLike extends RequestDecorating {
  readonly initialConfig?: { readonly http2?: boolean };
  addHook(name: 'onRequest' | 'onResponse', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
  addHook(name: 'onRequestAbort', hook: (request: FastifyRequestLike, done: Done) => void): unknown;
}

function isTls(request: FastifyRequestLike): boolean {
  return request.socket?.encrypted === true;
}

/** Filled and read synchronously on every request end: one object for the process, none per request. */
const scratch = new RequestEnd();

/**
 * What an instance's replies were found to offer, decided per Fastify instance:
 * - `clock`: whether Fastify's own clock gives the request latency. Fastify reads the time when a
 *   request enters its routing and when the response finishes, for every request of an instance
 *   with an `onResponse` hook (this package adds one), and reports the difference as
 *   `reply.elapsedTime`: reading it spares a clock read of our own per request. It is trusted once
 *   a request ended with a usable value, and dropped as soon as one did not.
 * - `headers`: the key of the reply's own header object. `reply.getHeader(name)` lower-cases its
 *   argument on every call (through ICU: about 200 instructions each, two calls per request);
 *   Fastify keeps the headers a route set in an object of the reply under a private symbol
 *   (described `fastify.reply.headers`), keyed by lower-case name, and `getHeader()` reads that
 *   object first and the raw response second. The package reads the object itself, with the same
 *   fallback, once the first reply showed the object answering as `getHeader()` does; `null`
 *   (never found, or it disagreed) means `getHeader()` for every request.
 */
interface InstanceReading {
  clock: boolean;
  headers: symbol | null | undefined;
}

const REPLY_HEADERS = 'fastify.reply.headers';

/** The key of `reply`'s header object if it answers as `getHeader()` does for the headers read here, else `null`. */
function findReplyHeaders(reply: FastifyReplyLike): symbol | null {
  const key = Object.getOwnPropertySymbols(reply).find((symbol) => symbol.description === REPLY_HEADERS);
  if (key === undefined) return null;
  const headers = (reply as unknown as Record<symbol, unknown>)[key];
  if (typeof headers !== 'object' || headers === null) return null;
  for (const name of ['content-length', 'content-type']) {
    const own = (headers as Record<string, unknown>)[name];
    if (own !== undefined && own !== reply.getHeader(name)) return null;
  }
  return key;
}

/** The reply's own header object (`key` found by `findReplyHeaders`), or `undefined`. */
function replyHeaders(reply: FastifyReplyLike, key: symbol | null): Record<string, unknown> | undefined {
  return key === null ? undefined : (reply as unknown as Record<symbol, Record<string, unknown> | undefined>)[key];
}

function end(request: FastifyRequestLike, reply: FastifyReplyLike | undefined, reading: InstanceReading): void {
  const state = requestStateOf(request);
  if (state === undefined) return;
  const e = scratch;
  const headers = request.headers;
  e.method = request.method;
  // Fastify's getter applies `trustProxy`; without the header the socket decides.
  e.https = headers['x-forwarded-proto'] === undefined ? isTls(request) : request.protocol === 'https';
  e.ajax = isAjax(headers['x-requested-with']);
  e.requestBytes = contentLengthOf(headers['content-length']);
  if (reply === undefined) {
    e.finished = false;
    e.statusCode = 0;
    e.responseBytes = -1;
    e.charset = undefined;
    e.elapsedMs = -1;
  } else {
    e.finished = true;
    e.statusCode = reply.statusCode;
    const key = reading.headers === undefined ? (reading.headers = findReplyHeaders(reply)) : reading.headers;
    // `getHeader()` reads the same object first and the raw response second: so does this, with
    // literal names (one inline cache per header) instead of `getHeader()`'s lower-casing.
    const own = replyHeaders(reply, key);
    e.responseBytes = responseBytesOf(own?.['content-length'] ?? reply.getHeader('content-length'));
    e.charset = charsetOf(own?.['content-type'] ?? reply.getHeader('content-type'));
    const elapsed = reply.elapsedTime;
    reading.clock = typeof elapsed === 'number' && elapsed > 0;
    e.elapsedMs = reading.clock ? (elapsed as number) : -1;
  }
  state.recorder.end(state, e, request);
}

/** The route template Fastify matched, e.g. `/api/v1/items/:id` (its `routeOptions` getter builds an object: read it only when needed). @internal */
export function fastifyRouteTemplate(request: object): string | undefined {
  return (request as FastifyRequestLike).routeOptions?.url;
}

/**
 * The key, on a connection's socket, of the last measured request that came on it, or `null` once
 * that request's response finished. A registered symbol, like the request's own slot.
 */
const IN_FLIGHT: unique symbol = Symbol.for('nest-prometheus:in-flight-request') as never;

/** A connection's socket, as the hooks use it. @internal */
export interface WatchedConnection {
  [IN_FLIGHT]?: FastifyRequestLike | null;
  on(event: 'close', listener: (this: WatchedConnection) => void): unknown;
}

/** For an end without a reply, which reads nothing of the instance's replies. */
const NO_READING: InstanceReading = { clock: false, headers: null };

/**
 * Makes the close of `request`'s connection end it if its response had not finished, as Fastify's
 * `onRequestAbort` would. One `close` listener per connection (added with its first request), where
 * an `onRequestAbort` hook makes Fastify add a listener and a closure to every request: counted,
 * an empty such hook cost 0.8 to 1.4k instructions per request (bench/RESULTS.md).
 */
function watchConnection(request: FastifyRequestLike, state: HttpRequestState): void {
  const socket = request.raw?.socket;
  if (socket === undefined || socket === null) return;
  const last = socket[IN_FLIGHT];
  if (last === undefined) {
    // Something other than a Node socket (a server factory's own): nothing to watch.
    if (typeof socket.on !== 'function') return;
    socket.on('close', onConnectionClose);
  } else if (last !== null && requestStateOf(last)?.done === false) state.previousInFlight = last;
  socket[IN_FLIGHT] = request;
}

/** After a response: the connection no longer holds its request (nor keeps it alive). */
function releaseConnection(request: FastifyRequestLike): void {
  const socket = request.raw?.socket;
  if (socket !== undefined && socket !== null && socket[IN_FLIGHT] === request) socket[IN_FLIGHT] = null;
}

/**
 * A connection closed: each of its requests still in flight ends as one whose client went away,
 * when Node marked it `aborted` (the test Fastify applies before its `onRequestAbort` hooks; Node's
 * server marks them in its own `close` listener, added when the connection opened, before this one).
 */
function onConnectionClose(this: WatchedConnection): void {
  let request = this[IN_FLIGHT];
  this[IN_FLIGHT] = null;
  while (request !== undefined && request !== null) {
    const state = requestStateOf(request);
    if (state === undefined) return;
    const previous = state.previousInFlight as FastifyRequestLike | null;
    state.previousInFlight = null;
    // An exception here would be thrown from the socket's `close` event: caught, as in the hooks.
    try {
      if (!state.done && request.raw?.aborted === true) end(request, undefined, NO_READING);
    } catch (error) {
      state.recorder.reportFailure(error);
    }
    request = previous;
  }
}

/**
 * Measures every request of a Fastify instance from its `onRequest` hook to its `onResponse`
 * hook, or to the close of its connection when the client goes away first (unless
 * `http.countAbortedRequests` is `false`). Over HTTP/2, where a client abandons a stream without
 * closing the connection, that last part is an `onRequestAbort` hook instead. Fastify applies
 * hooks added before it is ready to every route, the 404 handler included. `transport` follows
 * Fastify's `request.protocol`, which honours the `trustProxy` option.
 * @internal
 */
export function installFastifyHooks(fastify: FastifyInstanceLike, recorder: HttpRecorder): void {
  const reading: InstanceReading = { clock: false, headers: undefined };
  const http2 = fastify.initialConfig?.http2 === true;
  // Without either, a request whose client went away never ends here (Fastify runs no `onResponse`
  // for it) and is not counted: what `http.countAbortedRequests: false` asks for.
  const watchConnections = recorder.countsAborted && !http2;
  declareRequestState(fastify);
  // A hook that threw would make Fastify answer 500: every hook catches, reports, and goes on.
  fastify.addHook('onRequest', (request, _reply, done) => {
    try {
      const state = recorder.start(request, request.url, !reading.clock);
      if (state !== undefined && watchConnections) watchConnection(request, state);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    try {
      end(request, reply, reading);
      if (watchConnections) releaseConnection(request);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
  if (!recorder.countsAborted || !http2) return;
  fastify.addHook('onRequestAbort', (request, done) => {
    try {
      end(request, undefined, reading);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
}

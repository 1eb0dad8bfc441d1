import { RequestEnd, type HttpRecorder } from './http-recorder.js';
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
 * Measures every request of a Fastify instance from its `onRequest` hook to its `onResponse`
 * hook (or `onRequestAbort` when the client goes away first, unless `http.countAbortedRequests`
 * is `false`). Fastify applies hooks added before it is ready to every route, the 404 handler
 * included. `transport` follows Fastify's `request.protocol`, which honours the `trustProxy`
 * option.
 * @internal
 */
export function installFastifyHooks(fastify: FastifyInstanceLike, recorder: HttpRecorder): void {
  const reading: InstanceReading = { clock: false, headers: undefined };
  declareRequestState(fastify);
  // A hook that threw would make Fastify answer 500: every hook catches, reports, and goes on.
  fastify.addHook('onRequest', (request, _reply, done) => {
    try {
      recorder.start(request, request.url, !reading.clock);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    try {
      end(request, reply, reading);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
  // Without it, a request whose client went away never ends here (Fastify runs no `onResponse` for
  // it) and is not counted: what `http.countAbortedRequests: false` asks for, one hook fewer.
  if (!recorder.countsAborted) return;
  fastify.addHook('onRequestAbort', (request, done) => {
    try {
      end(request, undefined, reading);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
}

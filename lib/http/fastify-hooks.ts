import { RequestEnd, type HttpRecorder } from './http-recorder.js';
import { requestStateOf } from './request-states.js';

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
export interface FastifyInstanceLike {
  addHook(name: 'onRequest' | 'onResponse', hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: Done) => void): unknown;
  addHook(name: 'onRequestAbort', hook: (request: FastifyRequestLike, done: Done) => void): unknown;
}

function isTls(request: FastifyRequestLike): boolean {
  return request.socket?.encrypted === true;
}

/** Filled and read synchronously on every request end: one object for the process, none per request. */
const scratch = new RequestEnd();

/**
 * Whether an instance's own clock is used for the request latency. Fastify reads the time when a
 * request enters its routing and when the response finishes, for every request of an instance
 * with an `onResponse` hook (this package adds one), and reports the difference as
 * `reply.elapsedTime`: reading it spares a clock read of our own per request. It is trusted once a
 * request ended with a usable value, and dropped as soon as one did not.
 */
interface ClockChoice {
  fastify: boolean;
}

function end(request: FastifyRequestLike, reply: FastifyReplyLike | undefined, clock: ClockChoice): void {
  const state = requestStateOf(request);
  if (state === undefined) return;
  const e = scratch;
  const headers = request.headers;
  e.method = request.method;
  // Fastify's getter applies `trustProxy`; without the header the socket decides.
  e.https = headers['x-forwarded-proto'] === undefined ? isTls(request) : request.protocol === 'https';
  e.requestedWith = headers['x-requested-with'];
  e.requestContentLength = headers['content-length'];
  e.request = request;
  if (reply === undefined) {
    e.finished = false;
    e.statusCode = 0;
  } else {
    e.finished = true;
    e.statusCode = reply.statusCode;
    e.responseContentLength = reply.getHeader('content-length');
    e.responseContentType = reply.getHeader('content-type');
    const elapsed = reply.elapsedTime;
    clock.fastify = typeof elapsed === 'number' && elapsed > 0;
    if (clock.fastify) e.elapsedMs = elapsed as number;
  }
  try {
    state.recorder.end(state, e);
  } finally {
    e.clear();
  }
}

/** The route template Fastify matched, e.g. `/api/v1/items/:id` (its `routeOptions` getter builds an object: read it only when needed). @internal */
export function fastifyRouteTemplate(request: object): string | undefined {
  return (request as FastifyRequestLike).routeOptions?.url;
}

/**
 * Measures every request of a Fastify instance from its `onRequest` hook to its `onResponse`
 * hook (or `onRequestAbort` when the client goes away first). Fastify applies hooks added before
 * it is ready to every route, the 404 handler included. `transport` follows Fastify's
 * `request.protocol`, which honours the `trustProxy` option.
 * @internal
 */
export function installFastifyHooks(fastify: FastifyInstanceLike, recorder: HttpRecorder): void {
  const clock: ClockChoice = { fastify: false };
  // A hook that threw would make Fastify answer 500: every hook catches, reports, and goes on.
  fastify.addHook('onRequest', (request, _reply, done) => {
    try {
      recorder.start(request, request.url, !clock.fastify);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    try {
      end(request, reply, clock);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    try {
      end(request, undefined, clock);
    } catch (error) {
      recorder.reportFailure(error);
    }
    done();
  });
}

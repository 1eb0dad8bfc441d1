import type { HttpRecorder } from './http-recorder.js';
import type { RouteInfo } from './route-info.js';

/**
 * The measurement of one request in flight, stored on the request object the adapter passes to
 * its hooks and to Nest's route handler (Express `req`, Fastify `request`).
 * @internal
 */
export class HttpRequestState {
  /** `performance.now()` when the request entered the stack; `NaN` when the adapter measures the latency (Fastify). */
  readonly start: number;
  /** `performance.now()` when Nest started the handler's pipeline (guards, interceptors, pipes, handler). */
  handlerStart = 0;
  /** The route handler that took the request; `undefined` while (or if) none did. */
  route: RouteInfo | undefined = undefined;
  /** Class name of the exception the handler's pipeline threw, if any. */
  exception: string | undefined = undefined;
  /** Extra labels set by an `HttpMetricsInterceptor` subclass. */
  extraLabels: Readonly<Record<string, string>> | undefined = undefined;
  /** Set once the request has been recorded, so that a late event cannot count it twice. */
  done = false;
  /**
   * Fastify over HTTP/1: the request before this one on the same connection, when it was still in
   * flight as this one came (pipelining), so that the connection's close reaches it too.
   */
  previousInFlight: object | null = null;
  // What the Express hooks read from the request when the server emits it, before Express swaps
  // its prototype (after which every property read of `req` misses V8's inline caches). Unused on
  // Fastify, whose request keeps its shape and is read at the end.
  method: string | undefined = undefined;
  tls = false;
  /** An `X-Forwarded-Proto` header came: Express's `req.protocol` decides at the end. */
  forwardedProto = false;
  /** `X-Requested-With: XMLHttpRequest` came. */
  ajax = false;
  /** The request's Content-Length header in bytes; 0 when absent or invalid. */
  requestBytes = 0;

  constructor(
    start: number,
    /** The recorder of the app that measures this request. */
    readonly recorder: HttpRecorder,
  ) {
    this.start = start;
  }
}

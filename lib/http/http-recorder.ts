import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import type { ResolvedHttpConfig } from '../config/prometheus-config.interface.js';
import { UNNAMED_VIEW } from './http.constants.js';
import { httpMethodLabel } from './http-method-label.js';
import type { HttpMetricsStore } from './http-metrics.store.js';
import { HttpObservation } from './http-observation.js';
import { HttpRequestState } from './http-request-state.js';
import { createPathExcluder } from './path-excluder.js';
import { setRequestState } from './request-states.js';
import { hasNoBody } from './response-headers.js';
import { statusLabel } from './status-label.js';

/**
 * What an adapter hook read from the request and response when the request ended, already reduced
 * to numbers, flags and shared strings. Each hook set fills one instance of its own and passes it
 * to `HttpRecorder.end()`, which reads it synchronously: recording allocates nothing per request.
 * Nothing of one request is kept in it (no request object, no header value): the object lives as
 * long as the process, and storing a new object in an old one costs a write barrier's slow path
 * each time (counted: about 50 instructions per Fastify request when it held the raw values).
 * @internal
 */
export class RequestEnd {
  method: string | undefined = undefined;
  https = false;
  /** The request came with `X-Requested-With: XMLHttpRequest`. */
  ajax = false;
  /** The request's Content-Length header in bytes; 0 when absent or invalid. */
  requestBytes = 0;
  /** A response was sent completely; `false` when the client went away first. */
  finished = false;
  statusCode = 0;
  /** The response's Content-Length header in bytes (0 when invalid); −1 without one. */
  responseBytes = -1;
  /** The charset the response's Content-Type declares, lower-cased (`charsetOf`). */
  charset: string | undefined = undefined;
  /** The request's latency in milliseconds when the adapter measured it (Fastify), else −1. */
  elapsedMs = -1;
}

/**
 * The adapter-neutral half of the HTTP instrumentation of one app: starts a request's
 * measurement and turns its end into one `HttpMetricsStore.record()` call.
 * @internal
 */
export class HttpRecorder {
  /** Turned off when the app shuts down (Fastify hooks cannot be removed). */
  enabled = true;
  private readonly observation = new HttpObservation();
  private readonly excluded: ((url: string) => boolean) | undefined;
  private readonly routeViews: boolean;
  /** `false`: a request whose client went away before the response is not counted at all. */
  readonly countsAborted: boolean;
  private failed = false;

  constructor(
    readonly store: HttpMetricsStore,
    config: ResolvedHttpConfig,
    /** Reads the route template the adapter matched; only called with `viewLabel: 'route'`. */
    private readonly routeTemplateOf: (request: object) => string | undefined,
  ) {
    this.excluded = createPathExcluder(config.exclude);
    this.routeViews = config.viewLabel === 'route';
    this.countsAborted = config.countAbortedRequests;
  }

  /**
   * Marks `request` as measured, unless the recorder is off or its URL is excluded.
   * @param readClock `false` when the adapter measures the request's latency itself (`RequestEnd.elapsedMs`)
   * @returns the request's measurement, `undefined` when it is not measured
   */
  start(request: object, url: string | undefined, readClock = true): HttpRequestState | undefined {
    if (!this.enabled || (this.excluded !== undefined && this.excluded(url ?? '/'))) return undefined;
    const state = new HttpRequestState(readClock ? performance.now() : Number.NaN, this);
    setRequestState(request, state);
    return state;
  }

  /**
   * Records the end of a measured request; a second end of the same request is ignored. Never
   * throws: a failure is logged once and the request goes uncounted, the app's answer untouched.
   */
  end(state: HttpRequestState, end: RequestEnd, request: object): void {
    if (state.done) return;
    state.done = true;
    if (!end.finished && !this.countsAborted) return;
    try {
      this.record(state, end, request);
    } catch (error) {
      this.reportFailure(error);
    }
  }

  /** Logs (once) that a request could not be measured; the request itself is left alone. */
  reportFailure(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    new Logger('PrometheusModule').warn(`HTTP metrics: a request could not be recorded: ${(error as Error)?.stack ?? String(error)}`);
  }

  /** @param request the adapter's request object, passed to `routeTemplateOf` with `viewLabel: 'route'` */
  private record(state: HttpRequestState, end: RequestEnd, request: object): void {
    const route = state.route;
    if (route?.skip === true || !this.enabled) return;
    const now = performance.now();
    const o = this.observation;
    o.method = httpMethodLabel(end.method);
    o.transport = end.https ? 'https' : 'http';
    o.ajax = end.ajax;
    o.requestBytes = end.requestBytes;
    o.handled = route !== undefined;
    o.view = route === undefined ? UNNAMED_VIEW : this.routeViews ? (this.routeTemplateOf(request) ?? UNNAMED_VIEW) : route.handler;
    o.template = route?.template;
    o.exception = state.exception;
    o.extraLabels = state.extraLabels;
    if (end.finished) {
      // Without either clock (an adapter that stopped reporting its own) the latency is unknown.
      o.latency = end.elapsedMs >= 0 ? end.elapsedMs / 1000 : Number.isNaN(state.start) ? -1 : (now - state.start) / 1000;
      o.handlerLatency = route === undefined ? -1 : (now - state.handlerStart) / 1000;
      o.status = statusLabel(end.statusCode);
      const noBody = hasNoBody(end.method, end.statusCode);
      o.streaming = !noBody && end.responseBytes < 0;
      o.responseBytes = noBody ? 0 : end.responseBytes;
      o.charset = end.charset;
    } else {
      o.latency = -1;
      o.handlerLatency = -1;
      o.status = '';
      o.streaming = false;
      o.responseBytes = -1;
      o.charset = undefined;
    }
    this.store.record(o);
  }
}

import type { CanActivate, Type } from '@nestjs/common';
import type { DefaultMetricsCollectorConfiguration, Registry } from 'prom-client';

/** How the `view` label of HTTP metrics is built. */
export type ViewLabelMode = 'handler' | 'route';

/** Options of the HTTP instrumentation. */
export interface HttpMetricsOptions {
  /**
   * `handler`: `ControllerClass.handlerName`; `route`: the route template with global prefix and
   * version, e.g. `/api/v1/items/:id`.
   * @default 'handler'
   */
  viewLabel?: ViewLabelMode;
  /** Request paths (exact, without query string) or patterns that are not counted. @default [] */
  exclude?: ReadonlyArray<string | RegExp>;
  /**
   * Count requests whose client went away before the response was sent (on the request side and in
   * the `unknown_latency` counters). `false` leaves them out of every metric, on both adapters; on
   * Fastify it also drops what tells them (a `close` listener per connection; over HTTP/2 the
   * `onRequestAbort` hook), whose price per request bench/RESULTS.md gives.
   * @default true
   */
  countAbortedRequests?: boolean;
}

/** Options of the standalone metrics port (a plain `node:http` server outside Nest's HTTP stack). */
export interface MetricsExportOptions {
  /** Port of the standalone exporter (1–65535). */
  port?: number;
  /** Ports to try in order, e.g. `[8001, 8002]` or `'8001-8010'`; wins over `port`. */
  portRange?: ReadonlyArray<number> | string;
  /** Bind address. @default all interfaces */
  address?: string;
  /**
   * Bearer token required on the standalone port (`Authorization: Bearer <token>`): visible ASCII,
   * no spaces. It protects this port only, not the app's `/metrics` controller.
   */
  token?: string;
  /**
   * Serve the port from a worker thread (`PROMETHEUS_METRICS_EXPORT_THREADED`), so it keeps
   * answering while the app's event loop is blocked: a scrape then gets the last exposition the
   * app rendered, marked with an `X-Metrics-Stale-Seconds` header. Costs one thread (a few MB of RSS).
   * @default false
   */
  threaded?: boolean;
}

/** Options of the `/metrics` controller. */
export interface MetricsControllerOptions {
  /** Route path of the controller. @default 'metrics' */
  path?: string;
  /** Guards (classes or instances) applied to the controller, e.g. an API-key guard. */
  guards?: ReadonlyArray<CanActivate | Type<CanActivate>>;
  /** Extra class decorators applied to the controller, e.g. a user's `@Public()`. */
  decorators?: ReadonlyArray<ClassDecorator>;
}

/** Default-metrics options: `true`, `false`, or prom-client's collector configuration. */
export type DefaultMetricsOption = boolean | Omit<DefaultMetricsCollectorConfiguration<'text/plain; version=0.0.4; charset=utf-8'>, 'register'>;

/**
 * Options of `PrometheusModule.forRoot()` / the value `forRootAsync` factories return.
 * Every field is optional; an explicit option wins over its environment variable, which wins over
 * the default.
 */
export interface PrometheusModuleOptions {
  /** Registry to write to. @default prom-client's global `register` */
  registry?: Registry;
  /** Prefix `<namespace>_` of every metric this package defines (`PROMETHEUS_METRIC_NAMESPACE`). @default '' */
  namespace?: string;
  /**
   * Buckets (seconds) of the HTTP latency and DB query histograms (`PROMETHEUS_LATENCY_BUCKETS`).
   * @default django-prometheus's 17 buckets, 0.01 … 75, +Inf
   */
  latencyBuckets?: ReadonlyArray<number>;
  /** HTTP instrumentation; `false` turns it off (`PROMETHEUS_HTTP_METRICS=false`). @default true */
  http?: boolean | HttpMetricsOptions;
  /** Standalone metrics port (`PROMETHEUS_METRICS_EXPORT_*`). @default none */
  export?: MetricsExportOptions;
  /** Directory shared by worker processes whose metrics are aggregated (`PROMETHEUS_MULTIPROC_DIR`). */
  multiprocessDir?: string;
  /** Database metrics for every supported driver or ORM the app uses (`PROMETHEUS_DB_METRICS`). @default true */
  database?: boolean;
  /** Cache metrics for the app's cache manager (`PROMETHEUS_CACHE_METRICS`). @default true */
  cache?: boolean;
  /** Export migration gauges (`PROMETHEUS_EXPORT_MIGRATIONS`). @default false */
  exportMigrations?: boolean;
  /** prom-client default Node.js process metrics. @default true */
  defaultMetrics?: DefaultMetricsOption;
}

/**
 * Settings of the module definition itself, read when the module is declared (Nest mounts
 * controllers before any async factory runs), so `forRootAsync` takes them beside `useFactory`.
 */
export interface PrometheusModuleExtras {
  /** Register the module globally. @default true */
  isGlobal?: boolean;
  /** The `/metrics` controller, or `false` to mount none. @default { path: 'metrics' } */
  controller?: MetricsControllerOptions | false;
}

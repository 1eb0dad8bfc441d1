import type { Registry } from 'prom-client';
import type { EndpointLogger } from './endpoint-logger.interface.js';
import type { MetricsSource } from './metrics-source.js';

/** Options shared by the standalone metrics port functions and `PrometheusEndpointServer`. */
export interface PrometheusEndpointOptions {
  /** Registry to serve. @default prom-client's global `register` */
  readonly registry?: Registry;
  /** What to serve instead of `registry` (e.g. a multi-process or cluster aggregate). */
  readonly source?: MetricsSource;
  /** Bearer token required on every request (`Authorization: Bearer <token>`); missing or wrong → 401. */
  readonly token?: string;
  /** Aborting it closes the server. */
  readonly signal?: AbortSignal;
  /** Where the bound address and warnings go. @default Nest's `Logger` with context `PrometheusExporter` */
  readonly logger?: EndpointLogger;
}

/** Options of one `PrometheusEndpointServer`. */
export interface PrometheusEndpointServerOptions extends PrometheusEndpointOptions {
  /** Port to listen on; `0` picks a free one. */
  readonly port: number;
  /** Bind address. @default all interfaces (`::`, or `0.0.0.0` without IPv6) */
  readonly address?: string;
}

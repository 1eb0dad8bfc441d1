import type { CanActivate, Type } from '@nestjs/common';
import type { Registry } from 'prom-client';
import type { DefaultMetricsOption, ViewLabelMode } from '../interfaces/prometheus-options.interface.js';

/** HTTP settings after resolution. */
export interface ResolvedHttpConfig {
  readonly viewLabel: ViewLabelMode;
  readonly exclude: ReadonlyArray<string | RegExp>;
  readonly countAbortedRequests: boolean;
}

/** Standalone-port settings after resolution. */
export interface ResolvedExportConfig {
  readonly port?: number;
  readonly portRange?: ReadonlyArray<number>;
  readonly address?: string;
  readonly token?: string;
  /** Serve the port from a worker thread (it answers while the event loop is blocked). */
  readonly threaded: boolean;
}

/** Controller settings after resolution. */
export interface ResolvedControllerConfig {
  readonly path: string;
  readonly guards: ReadonlyArray<CanActivate | Type<CanActivate>>;
  readonly decorators: ReadonlyArray<ClassDecorator>;
}

/**
 * The configuration every part of the module reads: options merged with environment variables
 * and defaults, validated once at startup.
 */
export interface PrometheusConfig {
  readonly registry: Registry;
  /** `''` or a valid metric-name prefix without the trailing underscore. */
  readonly namespace: string;
  /** Finite, strictly increasing upper bounds; `+Inf` is implied. */
  readonly latencyBuckets: ReadonlyArray<number>;
  readonly http: ResolvedHttpConfig | false;
  readonly export: ResolvedExportConfig;
  readonly multiprocessDir?: string;
  /** Database metrics (§4.3) for the drivers and ORMs the app uses. */
  readonly database: boolean;
  /** Cache metrics (§4.4) for the app's cache manager. */
  readonly cache: boolean;
  readonly exportMigrations: boolean;
  /** `false`, or the collector configuration to pass to `collectDefaultMetrics`. */
  readonly defaultMetrics: false | Exclude<DefaultMetricsOption, boolean>;
}

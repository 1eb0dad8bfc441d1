import type { Registry } from 'prom-client';

/** What a cluster primary collected from its workers for one scrape. */
export interface ClusterMetrics {
  /** Merged metrics of the workers that answered. */
  readonly registry: Registry;
  /** Workers asked (connected when the scrape began). */
  readonly workers: number;
  /** Workers that did not answer within the timeout (or answered with an error). */
  readonly missing: number;
}

/** Options of the primary's collection. */
export interface ClusterMetricsOptions {
  /** How long to wait for a worker's answer, in milliseconds. @default 2000 */
  readonly timeoutMs?: number;
}

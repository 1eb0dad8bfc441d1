import type { MetricObjectWithValues, MetricValue, MetricValueWithName } from 'prom-client';

/** One metric of a snapshot: prom-client's JSON form plus how it merges across processes. @internal */
export type SnapshotMetric = MetricObjectWithValues<MetricValue<string> | MetricValueWithName<string>> & {
  /** `true` for a gauge that is kept per process, with a `pid` label, instead of being merged. */
  readonly perProcess?: boolean;
};

/**
 * The metrics of one process at one moment, as persisted in `multiprocessDir` (`<id>.json`) or
 * sent by a cluster worker to its primary.
 * @internal
 */
export interface ProcessSnapshot {
  /** Format version, so a reader can skip files written by an incompatible release. */
  readonly version: 1;
  readonly pid: number;
  readonly hostname: string;
  /** Epoch milliseconds of the write. */
  readonly writtenAt: number;
  /** `true` when written at a graceful shutdown: the process no longer exists. */
  readonly exited: boolean;
  readonly metrics: ReadonlyArray<SnapshotMetric>;
}

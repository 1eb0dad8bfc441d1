import type { MetricObjectWithValues, MetricValue, MetricValueWithName } from 'prom-client';

/** Labels of one series, in the order they are rendered. @internal */
export type SeriesLabels = Readonly<Record<string, string | number>>;

/**
 * One histogram series in compact form: its labels once (without `le`) and its numbers in the
 * order prom-client's JSON form lists its samples: the cumulative count of each bucket, the `+Inf`
 * bucket, the sum, the count. @internal
 */
export interface HistogramSeries {
  readonly labels: SeriesLabels;
  readonly values: ReadonlyArray<number>;
}

/**
 * One metric of a snapshot: prom-client's JSON form plus how it merges across processes. A
 * histogram read from a `version: 2` snapshot (or taken from a live registry) carries its series in
 * `histogram` instead, with `values` empty: a series is then three objects instead of two per sample.
 * @internal
 */
export type SnapshotMetric = MetricObjectWithValues<MetricValue<string> | MetricValueWithName<string>> & {
  /** `true` for a gauge that is kept per process, with a `pid` label, instead of being merged. */
  readonly perProcess?: boolean;
  /** A histogram's series in compact form (then `values` is empty). */
  readonly histogram?: { readonly bounds: ReadonlyArray<number>; readonly series: ReadonlyArray<HistogramSeries> };
};

/**
 * The metrics of one process at one moment, as persisted in `multiprocessDir` (`<id>.json`) or
 * sent by a cluster worker to its primary.
 * @internal
 */
export interface ProcessSnapshot {
  /**
   * Format it was read from (`1`: one JSON object, prom-client's JSON form; `2`: newline-delimited
   * records, see snapshot-v2.ts), so a reader can skip files written by an incompatible release.
   */
  readonly version: 1 | 2;
  readonly pid: number;
  readonly hostname: string;
  /** Epoch milliseconds of the write. */
  readonly writtenAt: number;
  /** `true` when written at a graceful shutdown: the process no longer exists. */
  readonly exited: boolean;
  readonly metrics: ReadonlyArray<SnapshotMetric>;
}

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

/**
 * What a merge needs to know of one metric of a snapshot before it reads its series: the header,
 * and a histogram's buckets when it carries its series in compact form. @internal
 */
export interface MetricOutline {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string | undefined;
  readonly perProcess?: boolean;
  /** A compact histogram's bucket bounds (`histogram.bounds`); `undefined` for samples. */
  readonly bounds?: ReadonlyArray<number>;
  /**
   * `true` when a compact histogram has a series with a label value containing `,` or `:` (its
   * grouping key could be ambiguous: such a metric is merged sample by sample, as prom-client does).
   */
  readonly ambiguous?: boolean;
}

/** One sample in prom-client's JSON form, as validated (`null` read as NaN). @internal */
export interface SnapshotSample {
  readonly value: number;
  readonly labels: SeriesLabels;
  readonly metricName?: string;
}

/**
 * Receives a snapshot's content in order: `metric(i)` before the series or samples of the `i`-th
 * metric of the outline. What it receives is not kept by the sender (fold it, or copy it). @internal
 */
export interface SnapshotSink {
  metric(index: number): void;
  series(labels: SeriesLabels, values: ReadonlyArray<number>): void;
  sample(sample: SnapshotSample): void;
}

/**
 * A snapshot that has been read and validated but whose series are not held: `outline` lists its
 * metrics, `replay` reads its series again (from the text, checked the same way) into a sink. So a
 * merge holds one record of one process at a time, instead of every process's series at once.
 * @internal
 */
export interface ReplayableSnapshot {
  readonly version: 2;
  readonly pid: number;
  readonly hostname: string;
  readonly writtenAt: number;
  readonly exited: boolean;
  readonly outline: ReadonlyArray<MetricOutline>;
  replay(sink: SnapshotSink): Promise<void>;
}

/** A snapshot as a merge takes it: held whole (format 1, a live registry's) or replayable (format 2). @internal */
export type SnapshotInput = ProcessSnapshot | ReplayableSnapshot;

import { Registry, type Metric, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { TimeSlicer } from '../export/time-slicer.js';
import type { MetricOutline, ProcessSnapshot, SeriesLabels, SnapshotMetric, SnapshotSink } from './process-snapshot.interface.js';
import { outlineOf, replaySnapshot } from './snapshot-input.js';

/** Label added to per-process gauges. */
export const PID_LABEL = 'pid';

type MetricJson = MetricObjectWithValues<MetricValue<string>>;
interface SampleJson {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** One merged sample: the first occurrence gives labels and name; the aggregator folds the values. */
interface Group {
  readonly first: SampleJson;
  acc: number;
  count: number;
}

type Fold = (acc: number, value: number) => number;
/** How an aggregator folds: from `start`, each value in input order (`first` keeps the first value). */
interface Rule {
  readonly start: number;
  readonly fold: Fold;
  readonly finish?: (acc: number, count: number) => number;
  readonly first?: true;
}
const FOLDS: Readonly<Record<string, Rule>> = {
  sum: { start: 0, fold: (acc, v) => acc + v },
  average: { start: 0, fold: (acc, v) => acc + v, finish: (acc, count) => acc / count },
  min: { start: Infinity, fold: (acc, v) => Math.min(acc, v) },
  max: { start: -Infinity, fold: (acc, v) => Math.max(acc, v) },
  first: { start: Number.NaN, fold: (acc) => acc, first: true },
};

/** Same grouping key as prom-client's aggregators: sample name and the labels, keys sorted. */
function groupKey(sample: SampleJson): string {
  const names = Object.keys(sample.labels);
  if (names.length > 1) names.sort();
  let key = `${sample.metricName}_`;
  for (let i = 0; i < names.length; i++) key += `${i === 0 ? '' : ','}${names[i]}:${sample.labels[names[i] as string]}`;
  return key;
}

/** A histogram's series in compact form, as a snapshot carries it (`SnapshotMetric.histogram`). */
interface CompactHistogram {
  readonly bounds: ReadonlyArray<number>;
  readonly series: ReadonlyArray<{ readonly labels: Readonly<Record<string, string | number>>; readonly values: ReadonlyArray<number> }>;
}
type InputMetric = MetricJson & { readonly histogram?: CompactHistogram };

/**
 * The merged series of a compact histogram, by series: the first occurrence's labels, how many
 * occurrences were folded, and the folded numbers, `width` per series, in one growing
 * `Float64Array` (its memory is outside the JS heap). The series outlive the merge: as one number
 * per series in a Map and one buffer, instead of an object and an array each, the scavenges that
 * move them to the old space copy less (`--trace-gc`, 4 × 12,500 series: about 3.5 MB survive a
 * merge instead of about 6 MB).
 */
class CompactSeries {
  readonly index = new Map<string, number>();
  readonly labels: SeriesLabels[] = [];
  counts = new Float64Array(64);
  values: Float64Array;

  constructor(readonly width: number) {
    this.values = new Float64Array(64 * width);
  }

  get size(): number {
    return this.labels.length;
  }

  /** Adds a series (its numbers left at 0 for the caller to set); returns its position. */
  add(key: string, labels: SeriesLabels): number {
    const at = this.labels.length;
    if (at === this.counts.length) {
      const counts = new Float64Array(at * 2);
      counts.set(this.counts);
      this.counts = counts;
      const values = new Float64Array(at * 2 * this.width);
      values.set(this.values);
      this.values = values;
    }
    this.labels.push(labels);
    this.index.set(key, at);
    return at;
  }
}

const NO_SHARED_LABELS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * A merged histogram kept in compact form. `get()` gives prom-client's JSON form (what
 * `AggregatorRegistry.aggregate` holds); `getForPromString()`, which both renderers read, gives the
 * same samples one at a time, so rendering allocates nothing that outlives a sample.
 */
class MergedHistogram {
  readonly type = 'histogram';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly aggregator: string | undefined,
    private readonly bounds: ReadonlyArray<number>,
    /** Each series' labels, in order. */
    private readonly labels: ReadonlyArray<SeriesLabels>,
    /** Each series' numbers (each bucket, +Inf, sum, count), one series after the other. */
    private readonly values: Float64Array,
  ) {}

  async get(): Promise<object> {
    return { help: this.help, name: this.name, type: this.type, values: [...this.samples(false)], aggregator: this.aggregator };
  }

  async getForPromString(): Promise<object> {
    return { help: this.help, name: this.name, type: this.type, values: this.samples(true), aggregator: this.aggregator };
  }

  private *samples(forText: boolean): Generator<SampleJson & { sharedLabels?: object }, void, undefined> {
    const bucketName = `${this.name}_bucket`;
    const sumName = `${this.name}_sum`;
    const countName = `${this.name}_count`;
    const width = this.bounds.length;
    const stride = width + 3;
    const values = this.values;
    const shared = forText ? { sharedLabels: NO_SHARED_LABELS } : undefined;
    for (let at = 0; at < this.labels.length; at++) {
      const labels = this.labels[at] as SeriesLabels;
      const base = at * stride;
      for (let i = 0; i < width; i++) yield { value: values[base + i] as number, labels: { le: this.bounds[i] as number, ...labels }, metricName: bucketName, ...shared };
      yield { value: values[base + width] as number, labels: { le: '+Inf', ...labels }, metricName: bucketName, ...shared };
      yield { value: values[base + width + 1] as number, labels, metricName: sumName, ...shared };
      yield { value: values[base + width + 2] as number, labels, metricName: countName, ...shared };
    }
  }
}

/**
 * The buckets, when every occurrence is a compact histogram with the same, strictly increasing
 * buckets and no ambiguous label (then series merge as units; two equal bounds would be one
 * sample to prom-client).
 */
function allCompactAlike(occurrences: ReadonlyArray<Occurrence>): readonly number[] | undefined {
  const bounds = occurrences[0]?.outline.bounds;
  if (bounds === undefined) return undefined;
  for (let i = 1; i < bounds.length; i++) if (!((bounds[i] as number) > (bounds[i - 1] as number))) return undefined;
  for (const { outline, pid } of occurrences) {
    const other = outline.bounds;
    if (other === undefined || other.length !== bounds.length || outline.ambiguous === true) return undefined;
    if (pid !== undefined && (pid.includes(',') || pid.includes(':'))) return undefined;
    for (let i = 0; i < bounds.length; i++) if (other[i] !== bounds[i]) return undefined;
  }
  return bounds as readonly number[];
}

/**
 * The grouping key of a series: its labels, keys sorted, as prom-client's `hashObject` writes them
 * (only for label sets without an ambiguous value: see `hasAmbiguousLabel`).
 */
function seriesKey(labels: Readonly<Record<string, string | number>>): string {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '';
  for (let i = 0; i < names.length; i++) key += `${i === 0 ? '' : ','}${names[i]}:${labels[names[i] as string]}`;
  return key;
}

/** One metric of one process as the merge folds it: its outline and the `pid` label it gets, if any. */
interface Occurrence {
  readonly outline: MetricOutline;
  readonly pid?: string;
}

/** One metric of the aggregate: every process's occurrence of it, folded into groups as they come. */
class MergedMetric {
  readonly occurrences: Occurrence[] = [];
  /** Decided by `plan()`: the buckets when the series merge as units; otherwise sample by sample. */
  bounds?: readonly number[];
  omitted = false;
  rule!: Rule;
  private compact?: CompactSeries;
  readonly groups = new Map<string, Group>();

  constructor(
    readonly name: string,
    readonly head: MetricOutline,
  ) {}

  get aggregator(): string {
    return this.head.aggregator ?? 'sum';
  }

  plan(): void {
    const aggregator = this.aggregator;
    if (aggregator === 'omit') {
      this.omitted = true;
      return;
    }
    const rule = FOLDS[aggregator];
    if (rule === undefined) throw new Error(`'${aggregator}' is not a defined aggregator.`);
    this.rule = rule;
    this.bounds = allCompactAlike(this.occurrences);
  }

  /** One series of a compact occurrence (labels with `pid` already). */
  foldSeries(labels: SeriesLabels, values: ReadonlyArray<number>, occurrence: Occurrence): void {
    if (this.bounds === undefined) {
      this.foldSeriesAsSamples(labels, values, occurrence.outline.bounds as ReadonlyArray<number>);
      return;
    }
    const key = seriesKey(labels);
    const rule = this.rule;
    const compact = (this.compact ??= new CompactSeries(values.length));
    let at = compact.index.get(key);
    const width = compact.width;
    if (at === undefined) {
      // A new series: its own numbers folded into the start value (copied: the parsed array is not kept).
      at = compact.add(key, labels);
      const acc = compact.values;
      const base = at * width;
      if (rule.first) for (let i = 0; i < width; i++) acc[base + i] = values[i] as number;
      else for (let i = 0; i < width; i++) acc[base + i] = rule.fold(rule.start, values[i] as number);
      compact.counts[at] = 1;
      return;
    }
    const acc = compact.values;
    const base = at * width;
    if (!rule.first) for (let i = 0; i < width; i++) acc[base + i] = rule.fold(acc[base + i] as number, values[i] as number);
    compact.counts[at]++;
  }

  /** A compact series in a metric merged sample by sample: its samples, as prom-client's JSON form lists them. */
  private foldSeriesAsSamples(labels: SeriesLabels, values: ReadonlyArray<number>, bounds: ReadonlyArray<number>): void {
    const width = bounds.length;
    const bucketName = `${this.name}_bucket`;
    for (let i = 0; i < width; i++) this.foldSample({ value: values[i] as number, labels: { le: bounds[i] as number, ...labels }, metricName: bucketName });
    this.foldSample({ value: values[width] as number, labels: { le: '+Inf', ...labels }, metricName: bucketName });
    this.foldSample({ value: values[width + 1] as number, labels, metricName: `${this.name}_sum` });
    this.foldSample({ value: values[width + 2] as number, labels, metricName: `${this.name}_count` });
  }

  foldSample(sample: SampleJson): void {
    const key = groupKey(sample);
    const rule = this.rule;
    const group = this.groups.get(key);
    if (group === undefined) {
      this.groups.set(key, { first: sample, acc: rule.first ? sample.value : rule.fold(rule.start, sample.value), count: 1 });
      return;
    }
    group.acc = rule.fold(group.acc, sample.value);
    group.count++;
  }

  /** The merged metric, registered in `registry` (series or samples in first-seen order). */
  async register(registry: Registry, slicer: TimeSlicer): Promise<void> {
    if (this.omitted) return;
    const { head, name, rule } = this;
    if (this.bounds !== undefined) {
      const compact = this.compact ?? new CompactSeries(this.bounds.length + 3);
      const { width, values, counts } = compact;
      if (rule.finish !== undefined) {
        for (let at = 0; at < compact.size; at++) {
          for (let i = at * width; i < (at + 1) * width; i++) values[i] = rule.finish(values[i] as number, counts[at] as number);
          if (slicer.due()) await slicer.pause();
        }
      }
      registry.registerMetric(new MergedHistogram(name, head.help, head.aggregator, this.bounds, compact.labels, values) as unknown as Metric);
      return;
    }
    const values: SampleJson[] = [];
    for (const { first, acc, count } of this.groups.values()) {
      const value = rule.finish === undefined ? acc : rule.finish(acc, count);
      values.push(first.metricName === undefined || first.metricName === '' ? { value, labels: first.labels } : { value, labels: first.labels, metricName: first.metricName });
      if (slicer.due()) await slicer.pause();
    }
    const merged = { help: head.help, name, type: head.type, values, aggregator: head.aggregator };
    registry.registerMetric(Object.assign({ get: () => merged }, merged) as unknown as Metric);
  }
}

/** What a process declares of one of its metrics: its outline and `pid` label, or `undefined` to leave it out. @internal */
export type ProcessMetric = { readonly outline: MetricOutline; readonly pid?: string } | undefined;

/**
 * What prom-client's `AggregatorRegistry.aggregate` returns for the same input (metrics in
 * first-seen order, samples in first-seen order, values folded in input order with the metric's
 * `aggregator`), built as the input comes instead of from every process's metrics at once:
 *
 * 1. `addProcess()` for every process, in order, with the outline of its metrics (names, types,
 *    aggregators, buckets): that fixes the metrics' order and how each one merges;
 * 2. the content of each process, in the same order, into the sink `addProcess()` returned: each
 *    series or sample is folded into the aggregate as it arrives and can be dropped at once;
 * 3. `finish()`: the registry (in slices of about `sliceMs`).
 *
 * A histogram that every process carries in compact form with the same buckets (and no ambiguous
 * label value) is merged series by series and stays compact (the same samples, far fewer
 * objects); otherwise its samples are merged one by one.
 * @internal
 */
export class SlicedMerge {
  private readonly byName = new Map<string, MergedMetric>();
  private planned = false;

  constructor(private readonly sliceMs = 5) {}

  /** Declares one process's metrics, in its order; every process is declared before any content is folded. */
  addProcess(metrics: ReadonlyArray<ProcessMetric>): SnapshotSink {
    if (this.planned) throw new Error('SlicedMerge: every process is declared before the first is folded');
    const occurrences = metrics.map((declared) => {
      if (declared === undefined) return undefined;
      let merged = this.byName.get(declared.outline.name);
      if (merged === undefined) {
        merged = new MergedMetric(declared.outline.name, declared.outline);
        this.byName.set(declared.outline.name, merged);
      }
      const occurrence: Occurrence = declared.pid === undefined ? { outline: declared.outline } : { outline: declared.outline, pid: declared.pid };
      merged.occurrences.push(occurrence);
      return { merged, occurrence };
    });
    const plan = (): void => {
      if (this.planned) return;
      this.planned = true;
      for (const merged of this.byName.values()) merged.plan();
    };
    let current: { merged: MergedMetric; occurrence: Occurrence } | undefined;
    return {
      metric: (index) => {
        plan();
        const next = occurrences[index];
        current = next === undefined || next.merged.omitted ? undefined : next;
      },
      series: (labels, values) => {
        if (current === undefined) return;
        const pid = current.occurrence.pid;
        current.merged.foldSeries(pid === undefined ? labels : { ...labels, [PID_LABEL]: pid }, values, current.occurrence);
      },
      sample: (sample) => {
        if (current === undefined) return;
        const pid = current.occurrence.pid;
        current.merged.foldSample(pid === undefined ? sample : { ...sample, labels: { ...sample.labels, [PID_LABEL]: pid } });
      },
    };
  }

  /** The aggregate of everything folded. */
  async finish(): Promise<Registry> {
    for (const merged of this.byName.values()) if (!this.planned) merged.plan();
    this.planned = true;
    const slicer = new TimeSlicer(this.sliceMs);
    const registry = new Registry();
    for (const merged of this.byName.values()) {
      await merged.register(registry, slicer);
      if (slicer.due()) await slicer.pause();
    }
    return registry;
  }
}

/**
 * `SlicedMerge` of metrics in prom-client's JSON form (a histogram may carry `histogram`, its
 * compact form, instead of `values`): what `AggregatorRegistry.aggregate(arrays)` returns.
 * @internal
 */
export async function aggregateMetricsSliced(arrays: ReadonlyArray<ReadonlyArray<InputMetric>>, sliceMs = 5): Promise<Registry> {
  const merge = new SlicedMerge(sliceMs);
  const snapshots = arrays.map((metrics): ProcessSnapshot => ({ version: 1, pid: 1, hostname: '', writtenAt: 0, exited: false, metrics: metrics as unknown as SnapshotMetric[] }));
  const sinks: SnapshotSink[] = [];
  for (const snapshot of snapshots) sinks.push(merge.addProcess((await outlineOf(snapshot, sliceMs)).map((outline) => ({ outline }))));
  for (let i = 0; i < snapshots.length; i++) await replaySnapshot(snapshots[i] as ProcessSnapshot, sinks[i] as SnapshotSink, sliceMs);
  return merge.finish();
}

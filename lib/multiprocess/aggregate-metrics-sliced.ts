import { Registry, type Metric, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { TimeSlicer } from '../export/time-slicer.js';

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
const FOLDS: Readonly<Record<string, { readonly start: number; readonly fold: Fold; readonly finish?: (acc: number, count: number) => number }>> = {
  sum: { start: 0, fold: (acc, v) => acc + v },
  average: { start: 0, fold: (acc, v) => acc + v, finish: (acc, count) => acc / count },
  min: { start: Infinity, fold: (acc, v) => Math.min(acc, v) },
  max: { start: -Infinity, fold: (acc, v) => Math.max(acc, v) },
  first: { start: Number.NaN, fold: (acc, v) => acc },
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

/** Merged series of a histogram: the first occurrence's labels, the folded numbers. */
interface SeriesGroup {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly acc: number[];
  count: number;
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
    private readonly series: ReadonlyArray<{ readonly labels: Readonly<Record<string, string | number>>; readonly values: ReadonlyArray<number> }>,
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
    const shared = forText ? { sharedLabels: NO_SHARED_LABELS } : undefined;
    for (const { labels, values } of this.series) {
      for (let i = 0; i < width; i++) yield { value: values[i] as number, labels: { le: this.bounds[i] as number, ...labels }, metricName: bucketName, ...shared };
      yield { value: values[width] as number, labels: { le: '+Inf', ...labels }, metricName: bucketName, ...shared };
      yield { value: values[width + 1] as number, labels, metricName: sumName, ...shared };
      yield { value: values[width + 2] as number, labels, metricName: countName, ...shared };
    }
  }
}

/** The samples of a metric in prom-client's JSON form (a compact histogram's expanded). */
function* samplesOf(metric: InputMetric): Generator<SampleJson, void, undefined> {
  if (metric.histogram === undefined) {
    yield* metric.values as unknown as ReadonlyArray<SampleJson>;
    return;
  }
  const { bounds, series } = metric.histogram;
  const width = bounds.length;
  for (const { labels, values } of series) {
    for (let i = 0; i < width; i++) yield { value: values[i] as number, labels: { le: bounds[i] as number, ...labels }, metricName: `${metric.name}_bucket` };
    yield { value: values[width] as number, labels: { le: '+Inf', ...labels }, metricName: `${metric.name}_bucket` };
    yield { value: values[width + 1] as number, labels, metricName: `${metric.name}_sum` };
    yield { value: values[width + 2] as number, labels, metricName: `${metric.name}_count` };
  }
}

/**
 * The buckets, when every occurrence is a compact histogram with the same, strictly increasing
 * buckets (then series merge as units; two equal bounds would be one sample to prom-client).
 */
function allCompactAlike(metrics: ReadonlyArray<InputMetric>): readonly number[] | undefined {
  const bounds = metrics[0]?.histogram?.bounds;
  if (bounds === undefined) return undefined;
  for (let i = 1; i < bounds.length; i++) if (!((bounds[i] as number) > (bounds[i - 1] as number))) return undefined;
  for (const metric of metrics) {
    const other = metric.histogram?.bounds;
    if (other === undefined || other.length !== bounds.length) return undefined;
    for (let i = 0; i < bounds.length; i++) if (other[i] !== bounds[i]) return undefined;
  }
  return bounds as readonly number[];
}

/**
 * The grouping key of a series: its labels, keys sorted, as prom-client's `hashObject` writes them.
 * `undefined` when a label value contains `,` or `:`: then two different label sets could make the
 * same key with `le` and not without it (or the reverse), and only a merge sample by sample is
 * exactly prom-client's.
 */
function seriesKey(labels: Readonly<Record<string, string | number>>): string | undefined {
  const names = Object.keys(labels);
  if (names.length > 1) names.sort();
  let key = '';
  for (let i = 0; i < names.length; i++) {
    const value = labels[names[i] as string];
    if (typeof value === 'string' && (value.includes(',') || value.includes(':'))) return undefined;
    key += `${i === 0 ? '' : ','}${names[i]}:${value}`;
  }
  return key;
}

/** Merges compact histograms series by series; `undefined` when a key is ambiguous (see seriesKey). */
async function mergeCompact(metrics: ReadonlyArray<InputMetric>, aggregator: string, slicer: TimeSlicer): Promise<SeriesGroup[] | undefined> {
  const rule = FOLDS[aggregator] as (typeof FOLDS)[string];
  const groups = new Map<string, SeriesGroup>();
  for (const metric of metrics) {
    for (const { labels, values } of (metric.histogram as CompactHistogram).series) {
      const key = seriesKey(labels);
      if (key === undefined) return undefined;
      let group = groups.get(key);
      if (group === undefined) {
        group = { labels, acc: aggregator === 'first' ? [...values] : new Array<number>(values.length).fill(rule.start), count: 0 };
        groups.set(key, group);
      }
      const acc = group.acc;
      for (let i = 0; i < acc.length; i++) acc[i] = rule.fold(acc[i] as number, values[i] as number);
      group.count++;
      if (slicer.due()) await slicer.pause();
    }
  }
  const merged = [...groups.values()];
  if (rule.finish !== undefined) {
    for (const group of merged) for (let i = 0; i < group.acc.length; i++) group.acc[i] = rule.finish(group.acc[i] as number, group.count);
  }
  return merged;
}

/**
 * What prom-client's `AggregatorRegistry.aggregate` returns for the same input (metrics in
 * first-seen order, samples in first-seen order, values folded in input order with the metric's
 * `aggregator`), built in slices of about `sliceMs` so that merging many large processes does not
 * block the event loop. A histogram that every input carries in compact form with the same buckets
 * is merged series by series and stays compact (the same samples, far fewer objects); otherwise its
 * samples are merged one by one.
 * @internal
 */
export async function aggregateMetricsSliced(arrays: ReadonlyArray<ReadonlyArray<InputMetric>>, sliceMs = 5): Promise<Registry> {
  const slicer = new TimeSlicer(sliceMs);
  const byName = new Map<string, InputMetric[]>();
  for (const metrics of arrays) {
    for (const metric of metrics) {
      const list = byName.get(metric.name);
      if (list === undefined) byName.set(metric.name, [metric]);
      else list.push(metric);
    }
  }
  const registry = new Registry();
  for (const [name, metrics] of byName) {
    const head = metrics[0] as InputMetric;
    const aggregator = (head.aggregator as string | undefined) ?? 'sum';
    if (aggregator === 'omit') continue;
    const rule = FOLDS[aggregator];
    if (rule === undefined) throw new Error(`'${aggregator}' is not a defined aggregator.`);
    const bounds = allCompactAlike(metrics);
    if (bounds !== undefined) {
      const merged = await mergeCompact(metrics, aggregator, slicer);
      if (merged !== undefined) {
        registry.registerMetric(new MergedHistogram(name, head.help, head.aggregator as string | undefined, bounds, merged.map((g) => ({ labels: g.labels, values: g.acc }))) as unknown as Metric);
        continue;
      }
    }
    const groups = new Map<string, Group>();
    for (const metric of metrics) {
      for (const sample of samplesOf(metric)) {
        const key = groupKey(sample);
        let group = groups.get(key);
        if (group === undefined) {
          group = { first: sample, acc: aggregator === 'first' ? sample.value : rule.start, count: 0 };
          groups.set(key, group);
        }
        group.acc = rule.fold(group.acc, sample.value);
        group.count++;
        if (slicer.due()) await slicer.pause();
      }
    }
    const values: SampleJson[] = [];
    for (const { first, acc, count } of groups.values()) {
      const value = rule.finish === undefined ? acc : rule.finish(acc, count);
      values.push(first.metricName === undefined || first.metricName === '' ? { value, labels: first.labels } : { value, labels: first.labels, metricName: first.metricName });
    }
    const merged = { help: head.help, name, type: head.type, values, aggregator: head.aggregator };
    registry.registerMetric(Object.assign({ get: () => merged }, merged) as unknown as Metric);
    if (slicer.due()) await slicer.pause();
  }
  return registry;
}

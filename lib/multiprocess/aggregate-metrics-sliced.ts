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

/**
 * What prom-client's `AggregatorRegistry.aggregate` returns for the same input (metrics in
 * first-seen order, samples in first-seen order, values folded in input order with the metric's
 * `aggregator`), built in slices of about `sliceMs` so that merging many large processes does not
 * block the event loop.
 * @internal
 */
export async function aggregateMetricsSliced(arrays: ReadonlyArray<ReadonlyArray<MetricJson>>, sliceMs = 5): Promise<Registry> {
  const slicer = new TimeSlicer(sliceMs);
  const byName = new Map<string, MetricJson[]>();
  for (const metrics of arrays) {
    for (const metric of metrics) {
      const list = byName.get(metric.name);
      if (list === undefined) byName.set(metric.name, [metric]);
      else list.push(metric);
    }
  }
  const registry = new Registry();
  for (const [name, metrics] of byName) {
    const head = metrics[0] as MetricJson;
    const aggregator = (head.aggregator as string | undefined) ?? 'sum';
    if (aggregator === 'omit') continue;
    const rule = FOLDS[aggregator];
    if (rule === undefined) throw new Error(`'${aggregator}' is not a defined aggregator.`);
    const groups = new Map<string, Group>();
    for (const metric of metrics) {
      for (const sample of metric.values as unknown as ReadonlyArray<SampleJson>) {
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

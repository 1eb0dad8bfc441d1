import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';
import { aggregateMetricsSliced } from './aggregate-metrics-sliced.js';
import type { ProcessSnapshot, SnapshotMetric } from './process-snapshot.interface.js';

/** Label added to per-process gauges. */
export const PID_LABEL = 'pid';

/** A snapshot and whether its process is known to be gone (its gauges are dropped). @internal */
export interface AggregationInput {
  readonly snapshot: ProcessSnapshot;
  readonly gone: boolean;
}

/**
 * Merges the snapshots of several processes into one registry, as prom-client's
 * `AggregatorRegistry.aggregate` would but in slices that leave the event loop free between them
 * (`aggregateMetricsSliced`): counters and histograms summed, gauges per process (`pid`
 * label) unless they chose another aggregator. The gauges of a process that is gone are dropped
 * (they describe a state that no longer exists); its counters, histograms and summaries stay.
 * @internal
 */
export async function aggregateSnapshots(inputs: ReadonlyArray<AggregationInput>, contentType?: string): Promise<Registry> {
  const pidValues = pidLabelValues(inputs.map((i) => i.snapshot));
  const arrays = inputs.map(({ snapshot, gone }, index) =>
    snapshot.metrics.flatMap((metric): Array<MetricObjectWithValues<MetricValue<string>> & Pick<SnapshotMetric, 'histogram'>> => {
      // prom-client's typings declare `type` as a numeric enum; at runtime it is the string.
      if (gone && (metric.type as unknown) === 'gauge') return [];
      return [metric.perProcess ? withPid(metric, pidValues[index]) : strip(metric)];
    }),
  );
  const registry: Registry = await aggregateMetricsSliced(arrays);
  if (contentType !== undefined) registry.setContentType(contentType as Parameters<Registry['setContentType']>[0]);
  return registry;
}

function strip(metric: SnapshotMetric): MetricObjectWithValues<MetricValue<string>> {
  const { perProcess: _ignored, ...rest } = metric;
  return rest as MetricObjectWithValues<MetricValue<string>>;
}

function withPid(metric: SnapshotMetric, pid: string): MetricObjectWithValues<MetricValue<string>> {
  const base = strip(metric);
  const histogram = metric.histogram;
  if (histogram !== undefined) {
    const series = histogram.series.map((s) => ({ labels: { ...s.labels, [PID_LABEL]: pid }, values: s.values }));
    return { ...base, histogram: { bounds: histogram.bounds, series } } as MetricObjectWithValues<MetricValue<string>>;
  }
  return { ...base, values: base.values.map((v) => ({ ...v, labels: { ...v.labels, [PID_LABEL]: pid } })) };
}

/** `pid`, or `pid@hostname` when two processes on different hosts share a pid, made unique. */
function pidLabelValues(snapshots: ReadonlyArray<ProcessSnapshot>): string[] {
  const count = (key: (s: ProcessSnapshot) => string) => {
    const counts = new Map<string, number>();
    for (const s of snapshots) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
    return counts;
  };
  const byPid = count((s) => String(s.pid));
  const byHost = count((s) => `${s.pid}@${s.hostname}`);
  return snapshots.map((s, index) => {
    if (byPid.get(String(s.pid)) === 1) return String(s.pid);
    const hosted = `${s.pid}@${s.hostname}`;
    return byHost.get(hosted) === 1 ? hosted : `${hosted}#${index}`;
  });
}

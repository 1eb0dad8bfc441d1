import { hostname } from 'node:os';
import { Gauge, Histogram, type Metric, type Registry } from 'prom-client';
import { TimeSlicer } from '../export/time-slicer.js';
import { isSummedAcrossProcesses } from './multiprocess-mode.js';
import type { HistogramSeries, ProcessSnapshot, SnapshotMetric } from './process-snapshot.interface.js';

type Labels = Record<string, string | number>;

/** The parts of a prom-client 15 histogram read directly; checked before use. */
interface HistogramState {
  readonly name: string;
  readonly help: string;
  readonly aggregator: string;
  readonly upperBounds: readonly number[];
  readonly hashMap: Record<string, { labels: Labels; bucketValues: Record<string, number>; sum: number; count: number }>;
  readonly collect?: () => unknown;
}

/** A metric whose collection has started. */
type Pending = { readonly histogram: HistogramState; readonly ready: Promise<unknown> } | { readonly histogram?: undefined; readonly ready: Promise<SnapshotMetric> };

/**
 * Takes the current values of `registry` as a snapshot of this process, marking the gauges that
 * stay per process. Same values as `registry.getMetricsAsJSON()` (default labels included), but a
 * plain prom-client histogram is read from its state into compact series (one label set and one
 * array of numbers per series, not one object per bucket), in slices of about `sliceMs`, so that a
 * process with many series neither blocks its event loop nor fills its heap while it persists or
 * answers its cluster primary.
 * @internal
 */
export async function snapshotRegistry(registry: Registry, exited = false, sliceMs = 5): Promise<ProcessSnapshot> {
  const defaults = readDefaultLabels(registry);
  const live = registry.getMetricsAsArray() as unknown as Metric<string>[];
  // Like getMetricsAsJSON: every collection starts at once, so slow `collect()` callbacks overlap.
  const pending = live.map((metric): Pending => {
    const histogram = asPlainHistogram(metric);
    const ready = histogram !== undefined ? Promise.resolve(histogram.collect?.()) : (metric.get() as unknown as Promise<SnapshotMetric>);
    ready.catch(() => undefined); // surfaces when the loop reaches it
    return histogram !== undefined ? { histogram, ready } : { ready: ready as Promise<SnapshotMetric> };
  });
  const slicer = new TimeSlicer(sliceMs);
  const metrics: SnapshotMetric[] = [];
  for (const [index, metric] of live.entries()) {
    const entry = pending[index] as Pending;
    await entry.ready;
    const taken = entry.histogram !== undefined ? await compactHistogram(entry.histogram, defaults, slicer) : withDefaults(await entry.ready, defaults);
    const aggregator = (taken.aggregator as string | undefined) ?? 'sum';
    const perProcess = metric instanceof Gauge && aggregator === 'sum' && !isSummedAcrossProcesses(metric as Gauge<string>);
    metrics.push(perProcess ? { ...taken, perProcess } : taken);
    if (slicer.due()) await slicer.pause();
  }
  return { version: 2, pid: process.pid, hostname: hostname(), writtenAt: Date.now(), exited, metrics };
}

async function compactHistogram(histogram: HistogramState, defaults: Labels | undefined, slicer: TimeSlicer): Promise<SnapshotMetric> {
  const bounds = [...histogram.upperBounds];
  const series: HistogramSeries[] = [];
  const width = bounds.length;
  for (const child of Object.values(histogram.hashMap)) {
    const values = new Array<number>(width + 3);
    let cumulative = 0;
    for (let i = 0; i < width; i++) {
      cumulative += child.bucketValues[bounds[i] as number] as number;
      values[i] = cumulative;
    }
    values[width] = child.count;
    values[width + 1] = child.sum;
    values[width + 2] = child.count;
    series.push({ labels: labelsWithDefaults(child.labels, defaults), values });
    if (slicer.due()) await slicer.pause();
  }
  return {
    name: histogram.name,
    help: histogram.help,
    type: 'histogram',
    aggregator: histogram.aggregator,
    values: [],
    histogram: { bounds, series },
  } as unknown as SnapshotMetric;
}

/** A copy of `labels` with the registry's default labels, as getMetricsAsJSON adds them. */
function labelsWithDefaults(labels: Labels | undefined, defaults: Labels | undefined): Labels {
  const copy: Labels = Object.assign({}, labels);
  if (defaults !== undefined) for (const name in defaults) copy[name] = copy[name] || (defaults[name] as string | number);
  return copy;
}

function withDefaults(metric: SnapshotMetric, defaults: Labels | undefined): SnapshotMetric {
  if (defaults === undefined || metric.values === undefined) return metric;
  for (const value of metric.values) (value as { labels: Labels }).labels = labelsWithDefaults(value.labels as Labels, defaults);
  return metric;
}

function readDefaultLabels(registry: Registry): Labels | undefined {
  const labels = (registry as unknown as { _defaultLabels?: Labels })._defaultLabels;
  return labels !== undefined && labels !== null && Object.keys(labels).length > 0 ? labels : undefined;
}

/** `metric` when it is a prom-client histogram whose state has the shape read here (finite bounds). */
function asPlainHistogram(metric: Metric<string>): HistogramState | undefined {
  if (!(metric instanceof Histogram)) return undefined;
  const candidate = metric as unknown as Partial<HistogramState> & { getForPromString?: unknown; get: unknown };
  const prototype = Histogram.prototype as unknown as { getForPromString?: unknown; get: unknown };
  const plain =
    candidate.getForPromString === prototype.getForPromString &&
    candidate.get === prototype.get &&
    typeof candidate.aggregator === 'string' &&
    Array.isArray(candidate.upperBounds) &&
    candidate.upperBounds.every((bound) => typeof bound === 'number' && Number.isFinite(bound)) &&
    typeof candidate.hashMap === 'object' &&
    candidate.hashMap !== null;
  return plain ? (candidate as HistogramState) : undefined;
}

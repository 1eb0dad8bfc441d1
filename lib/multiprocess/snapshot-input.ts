import { TimeSlicer } from '../export/time-slicer.js';
import type { MetricOutline, ProcessSnapshot, SeriesLabels, SnapshotInput, SnapshotSample, SnapshotSink } from './process-snapshot.interface.js';

/** Whether `snapshot` is held whole (format 1, a live registry's) rather than replayable. @internal */
export function isHeldWhole(snapshot: SnapshotInput): snapshot is ProcessSnapshot {
  return (snapshot as Partial<ProcessSnapshot>).metrics !== undefined;
}

/**
 * Whether a label value contains `,` or `:`: then two different label sets could make the same
 * grouping key (prom-client's `hashObject` form) with `le` and not without it, or the reverse, and
 * only a merge sample by sample is exactly prom-client's. @internal
 */
export function hasAmbiguousLabel(labels: SeriesLabels): boolean {
  for (const name in labels) {
    const value = labels[name];
    if (typeof value === 'string' && (value.includes(',') || value.includes(':'))) return true;
  }
  return false;
}

/**
 * The outline of the metrics of `snapshot`, in its order: a replayable snapshot's, or one made
 * from the metrics held (looking at every compact series for an ambiguous label, in slices).
 * @internal
 */
export async function outlineOf(snapshot: SnapshotInput, sliceMs = 5): Promise<ReadonlyArray<MetricOutline>> {
  if (!isHeldWhole(snapshot)) return snapshot.outline;
  const slicer = new TimeSlicer(sliceMs);
  const outlines: MetricOutline[] = [];
  for (const metric of snapshot.metrics) {
    const outline: MetricOutline = {
      name: metric.name,
      help: metric.help,
      type: metric.type as unknown as string,
      aggregator: metric.aggregator as string | undefined,
      perProcess: metric.perProcess,
    };
    const histogram = metric.histogram;
    if (histogram === undefined) {
      outlines.push(outline);
      continue;
    }
    let ambiguous = false;
    for (const { labels } of histogram.series) {
      if (hasAmbiguousLabel(labels)) {
        ambiguous = true;
        break;
      }
      if (slicer.due()) await slicer.pause();
    }
    outlines.push({ ...outline, bounds: histogram.bounds, ambiguous });
  }
  return outlines;
}

/** The metric names and types of a snapshot (a type conflict makes a file unmergeable). @internal */
export function metricTypes(snapshot: SnapshotInput): Array<readonly [string, string]> {
  if (!isHeldWhole(snapshot)) return snapshot.outline.map((m) => [m.name, m.type] as const);
  return snapshot.metrics.map((m) => [m.name, m.type as unknown as string] as const);
}

/**
 * Sends the content of `snapshot` to `sink`, in order (see `SnapshotSink`), giving the event loop
 * back about every `sliceMs`. @internal
 */
export async function replaySnapshot(snapshot: SnapshotInput, sink: SnapshotSink, sliceMs = 5): Promise<void> {
  if (!isHeldWhole(snapshot)) return snapshot.replay(sink);
  const slicer = new TimeSlicer(sliceMs);
  for (let index = 0; index < snapshot.metrics.length; index++) {
    const metric = snapshot.metrics[index] as ProcessSnapshot['metrics'][number];
    sink.metric(index);
    if (metric.histogram !== undefined) {
      for (const { labels, values } of metric.histogram.series) {
        sink.series(labels, values);
        if (slicer.due()) await slicer.pause();
      }
    } else {
      for (const sample of metric.values) {
        sink.sample(sample as unknown as SnapshotSample);
        if (slicer.due()) await slicer.pause();
      }
    }
    if (slicer.due()) await slicer.pause();
  }
}

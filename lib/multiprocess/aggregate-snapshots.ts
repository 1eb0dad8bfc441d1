import type { Registry } from 'prom-client';
import { PID_LABEL, SlicedMerge, type ProcessMetric } from './aggregate-metrics-sliced.js';
import type { SnapshotInput } from './process-snapshot.interface.js';
import { outlineOf, replaySnapshot } from './snapshot-input.js';

export { PID_LABEL };

/** A snapshot and whether its process is known to be gone (its gauges are dropped). @internal */
export interface AggregationInput {
  readonly snapshot: SnapshotInput;
  readonly gone: boolean;
}

/**
 * Merges the snapshots of several processes into one registry, as prom-client's
 * `AggregatorRegistry.aggregate` would but in slices that leave the event loop free between them
 * (`SlicedMerge`): counters and histograms summed, gauges per process (`pid` label) unless they
 * chose another aggregator. The gauges of a process that is gone are dropped (they describe a
 * state that no longer exists); its counters, histograms and summaries stay.
 *
 * The outlines of every snapshot are read first (they fix the order of the metrics and how each
 * merges); then each snapshot's series are folded into the aggregate as they are read (a
 * format-2 snapshot is parsed again, a record at a time: see `checkSnapshotV2`), so no more than
 * one record of one process is held besides the aggregate.
 * @internal
 */
export async function aggregateSnapshots(inputs: ReadonlyArray<AggregationInput>, contentType?: string): Promise<Registry> {
  const pidValues = pidLabelValues(inputs.map((i) => i.snapshot));
  const merge = new SlicedMerge();
  const sinks = [];
  for (const [index, { snapshot, gone }] of inputs.entries()) {
    const outline = await outlineOf(snapshot);
    sinks.push(
      merge.addProcess(
        outline.map((metric): ProcessMetric => {
          if (gone && metric.type === 'gauge') return undefined;
          return metric.perProcess === true ? { outline: metric, pid: pidValues[index] } : { outline: metric };
        }),
      ),
    );
  }
  for (const [index, { snapshot }] of inputs.entries()) await replaySnapshot(snapshot, sinks[index] as (typeof sinks)[number]);
  const registry: Registry = await merge.finish();
  if (contentType !== undefined) registry.setContentType(contentType as Parameters<Registry['setContentType']>[0]);
  return registry;
}

/** `pid`, or `pid@hostname` when two processes on different hosts share a pid, made unique. */
function pidLabelValues(snapshots: ReadonlyArray<SnapshotInput>): string[] {
  const count = (key: (s: SnapshotInput) => string) => {
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

import { hostname } from 'node:os';
import { Gauge, type Registry } from 'prom-client';
import { isSummedAcrossProcesses } from './multiprocess-mode.js';
import type { ProcessSnapshot, SnapshotMetric } from './process-snapshot.interface.js';

/**
 * Takes the current values of `registry` as a snapshot of this process, marking the gauges that
 * stay per process.
 * @internal
 */
export async function snapshotRegistry(registry: Registry, exited = false): Promise<ProcessSnapshot> {
  const metrics = await registry.getMetricsAsJSON();
  const marked = metrics.map((metric): SnapshotMetric => {
    const live = registry.getSingleMetric(metric.name);
    const perProcess =
      live instanceof Gauge && metric.aggregator === 'sum' && !isSummedAcrossProcesses(live as Gauge<string>);
    return perProcess ? { ...metric, perProcess } : metric;
  });
  return { version: 1, pid: process.pid, hostname: hostname(), writtenAt: Date.now(), exited, metrics: marked };
}

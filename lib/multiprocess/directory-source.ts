import type { MetricsSource } from '../export/metrics-source.js';
import { aggregateSnapshots } from './aggregate-snapshots.js';
import { MultiprocessDirectory } from './multiprocess-directory.js';

/**
 * A source serving the aggregate of every process file in `dir`: what the processes last
 * persisted (each at most about a second old). For a process that only reads, such as a cluster
 * primary or a sidecar.
 * @internal
 */
export function directorySource(dir: string, contentType?: string): MetricsSource {
  const directory = new MultiprocessDirectory(dir);
  return async () => {
    const registry = aggregateSnapshots(await directory.read(), contentType);
    return { contentType: registry.contentType, body: await registry.metrics() };
  };
}

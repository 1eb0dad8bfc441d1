import { statSync } from 'node:fs';
import type { MetricsSource } from '../export/metrics-source.js';
import { renderRegistryChunks } from '../export/render-registry.js';
import { aggregateSnapshots } from './aggregate-snapshots.js';
import { MultiprocessDirectory } from './multiprocess-directory.js';
import type { WarnLogger } from './skipped-file-warner.js';
import { addSkippedFilesGauge } from './skipped-files-gauge.js';

/**
 * A source serving the aggregate of every process file in `dir`: what the processes last
 * persisted (each at most about a second old). For a process that only reads, such as a cluster
 * primary or a sidecar. A `dir` that exists but is not a directory fails here, at startup; a
 * missing one reads as empty until the processes create it.
 * @internal
 */
export function directorySource(dir: string, contentType: string | undefined, namespace: string, logger: WarnLogger): MetricsSource {
  checkReadableDirectory(dir);
  const directory = new MultiprocessDirectory(dir, logger);
  return async () => {
    const { inputs, skipped } = await directory.read();
    const registry = await aggregateSnapshots(inputs, contentType);
    addSkippedFilesGauge(registry, namespace, skipped);
    // The chunks are rendered as they are sent; only the merged registry stays referenced (the
    // parsed files are collectable once merged).
    return { contentType: registry.contentType, chunks: renderRegistryChunks(registry) };
  };
}

function checkReadableDirectory(dir: string): void {
  let problem: string | undefined;
  try {
    if (!statSync(dir).isDirectory()) problem = 'it is not a directory';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problem = `it cannot be read: ${code ?? (error as Error).message}`;
  }
  if (problem !== undefined) {
    throw new Error(
      `nest-prometheus: option \`multiprocessDir\` (PROMETHEUS_MULTIPROC_DIR) is ${JSON.stringify(dir)}, but ${problem}; ` +
        'expected a directory the worker processes write their metrics to',
    );
  }
}

import { Gauge, type Registry } from 'prom-client';

/** Name (after the namespace prefix) of the gauge of files left out of a multi-process aggregate. */
export const SKIPPED_FILES_METRIC = 'nestjs_multiprocess_skipped_files';

/**
 * Adds to an aggregate the number of files of `multiprocessDir` left out of it (invalid, not a
 * regular file, too large, too slow to read). A gauge, not a counter: it describes this scrape, so
 * an alert on `> 0` fires while a bad file is present and clears when it is removed.
 * @internal
 */
export function addSkippedFilesGauge(registry: Registry, namespace: string, skipped: number): void {
  const name = namespace === '' ? SKIPPED_FILES_METRIC : `${namespace}_${SKIPPED_FILES_METRIC}`;
  // A file may have brought a metric of the same name; ours describes this scrape and wins.
  registry.removeSingleMetric(name);
  new Gauge({
    name,
    help: 'Files in the multiprocess directory left out of this scrape\'s aggregate (not a valid snapshot, not a regular file, too large or too slow to read).',
    registers: [registry],
  }).set(skipped);
}

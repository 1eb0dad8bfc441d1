import type { Registry } from 'prom-client';

/**
 * prom-client's default metrics include three gauges named `*_total`, a suffix Prometheus reserves
 * for counters (`promtool check metrics` flags them). Each only totals a gauge that is also
 * exposed per type (`nodejs_active_handles_total` = `sum(nodejs_active_handles)`), so they are
 * dropped and the exposition lints clean.
 * @internal
 */
export const DROPPED_DEFAULT_GAUGES: ReadonlyArray<string> = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** Removes each `<prefix>nodejs_active_*_total` gauge from `registry`. @internal */
export function dropTotalGauges(registry: Registry, prefix: string): void {
  for (const name of DROPPED_DEFAULT_GAUGES) registry.removeSingleMetric(prefix + name);
}

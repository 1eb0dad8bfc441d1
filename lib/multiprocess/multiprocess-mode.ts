import type { Gauge } from 'prom-client';
import { processShared } from '../shared/process-shared.js';

/** Shared by the ESM and CommonJS copies: a gauge marked through one is summed by the other. */
const SUMMED_GAUGES = processShared('summed-gauges:v1', () => new WeakSet<Gauge<string>>());

/**
 * Marks a gauge to be summed across processes in the multi-process aggregate (for example
 * in-flight requests of all workers). By default a gauge whose `aggregator` is prom-client's
 * default `'sum'` is kept per process with a `pid` label; a gauge created with another
 * `aggregator` (`'min'`, `'max'`, `'average'`, `'first'`, `'omit'`) is merged with it.
 * @returns the same gauge
 * @example const inFlight = sumAcrossProcesses(new Gauge({ name: 'jobs_in_flight', help: '…' }));
 */
export function sumAcrossProcesses<G extends Gauge<string>>(gauge: G): G {
  SUMMED_GAUGES.add(gauge);
  return gauge;
}

/** Whether `gauge` was marked by {@link sumAcrossProcesses}. @internal */
export function isSummedAcrossProcesses(gauge: Gauge<string>): boolean {
  return SUMMED_GAUGES.has(gauge);
}

import type { Registry, RegistryContentType } from 'prom-client';
import type { FrozenRegistry } from './frozen-registry.js';
import type { MetricLabels } from './metric-labels.js';
import { describeVector, fail } from './metric-assertion.js';
import { readChange } from './read-change.js';

/** Decides whether a change of a series is the expected one; absent series are passed as 0. */
export type MetricChangePredicate = (before: number, after: number) => boolean;

/**
 * Asserts that `predicate(before, after)` returns `true` for the series `name{labels}` between
 * `frozen` and now (an absent series counts as 0).
 * @param frozen a snapshot from `saveRegistry()`
 * @param labels every label of the series (exact match). @default {}
 * @param registry the registry under test. @default the registry `frozen` was taken from
 * @example await assertMetricCompare(before, (b, a) => a > b, 'nestjs_http_requests_latency_seconds_by_view_method_count', labels)
 */
export async function assertMetricCompare(
  frozen: FrozenRegistry,
  predicate: MetricChangePredicate,
  name: string,
  labels: MetricLabels = {},
  registry?: Registry<RegistryContentType>,
): Promise<void> {
  if (typeof predicate !== 'function') throw new TypeError('assertMetricCompare: the predicate must be a function (before, after) => boolean');
  const change = await readChange('assertMetricCompare', frozen, name, labels, registry);
  if (predicate(change.before, change.after) === true) return;
  fail(
    change.helper,
    `${change.series} changed in a way the predicate rejected: ${describePredicate(predicate)}\n${change.beforeAfter}\n${describeVector(name, change.samples)}`,
    { before: change.before, after: change.after },
    describePredicate(predicate),
  );
}

function describePredicate(predicate: MetricChangePredicate): string {
  const source = predicate.toString().replace(/\s+/g, ' ');
  return source.length > 160 ? `${source.slice(0, 157)}...` : source;
}

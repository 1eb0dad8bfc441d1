import assert from 'node:assert/strict';
import { getMetric, getMetricsVector, type FrozenRegistry, type MetricSample } from 'nest-prometheus/testing';
import type { Registry } from 'prom-client';

type Labels = Readonly<Record<string, string | number>>;

/**
 * Every series of every metric in `registry`, as `name{label="value",…}` (labels sorted), for
 * checks that no series anywhere carries a value (a raw URL, a skipped view). Fails on a registry
 * with no series at all, so such a check can never pass on an empty or wrong registry.
 */
export async function allSeries(registry: Registry): Promise<string[]> {
  const out: string[] = [];
  for (const family of await registry.getMetricsAsJSON()) {
    for (const value of family.values as Array<{ metricName?: string; labels: Labels }>) {
      const labels = Object.keys(value.labels).sort().map((k) => `${k}="${value.labels[k]}"`).join(',');
      out.push(`${value.metricName ?? family.name}{${labels}}`);
    }
  }
  assert.ok(out.length > 0, 'the registry under test has no series at all');
  return out;
}

/**
 * The series of the sample name `name` whose labels satisfy `match`. Fails when no metric of that
 * name is registered, so "no series matched" can never come from a misspelt name.
 */
export async function seriesWhere(registry: Registry, name: string, match: (labels: Readonly<Record<string, string>>) => boolean): Promise<MetricSample[]> {
  const family = name.replace(/_(bucket|sum|count)$/, '');
  assert.ok(registry.getSingleMetric(name) ?? registry.getSingleMetric(family), `no metric ${name} is registered (misspelt?)`);
  return (await getMetricsVector(name, registry)).filter((sample) => match(sample.labels));
}

/**
 * How much `name{labels}` changed since `before` (an absent series counts as 0), for changes that
 * are not a known number (a duration). The sample name must exist now.
 */
export async function changeSince(before: FrozenRegistry, name: string, labels: Labels = {}): Promise<number> {
  await seriesWhere(before.registry as Registry, name, () => true);
  return ((await getMetric(name, labels, before.registry)) ?? 0) - (before.getMetric(name, labels) ?? 0);
}

/** Resolves once `condition` holds, checking on every turn of the event loop; fails after `ms`. */
export async function waitFor(condition: () => Promise<boolean> | boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

import { Counter, Gauge, Histogram, Summary, type Metric, type Registry } from 'prom-client';

/** A prom-client metric class. @internal */
export type MetricClass<M extends Metric<string>, C> = new (configuration: C) => M;

/**
 * Returns the metric registered under `configuration.name` on `registry`, or creates it there.
 * Makes registration idempotent: importing the module twice, two apps in one process or a hot
 * reload reuse the metric instead of failing with "already registered".
 * @internal
 */
export function getOrCreateMetric<M extends Metric<string>, C extends { name: string }>(
  registry: Registry,
  MetricType: MetricClass<M, C>,
  configuration: C,
): M {
  const existing = registry.getSingleMetric(configuration.name);
  if (existing !== undefined) {
    if (existing instanceof MetricType) return existing as M;
    throw new Error(
      `nest-prometheus: metric "${configuration.name}" is already registered as a ${typeName(existing)}, ` +
        `not a ${MetricType.name.toLowerCase()}; use another name`,
    );
  }
  return new MetricType({ ...configuration, registers: [registry] });
}

function typeName(metric: Metric<string>): string {
  if (metric instanceof Counter) return 'counter';
  if (metric instanceof Gauge) return 'gauge';
  if (metric instanceof Histogram) return 'histogram';
  if (metric instanceof Summary) return 'summary';
  return 'metric of another type';
}

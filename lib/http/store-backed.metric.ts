import type { HttpMetricsStore } from './http-metrics.store.js';

/** One exposed sample: its labels, value and, for histogram parts, the sample name. @internal */
export interface SampleValue {
  readonly value: number;
  readonly labels: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

/** How one HTTP metric family reads the store. @internal */
export interface HttpMetricFamily {
  /** Name without namespace, e.g. `nestjs_http_requests_total_by_method_total`. */
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly read: (store: HttpMetricsStore, name: string) => SampleValue[];
}

/** What prom-client's registry reads from a metric at scrape time. @internal */
export interface StoreBackedMetricValues {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: SampleValue[];
}

/**
 * A metric registered on a prom-client `Registry` whose values come from an `HttpMetricsStore`
 * when the registry is scraped. It has the shape of prom-client's own metrics (`name`, `help`,
 * `type`, `aggregator`, `get()`, `reset()`), so `registry.metrics()`, `getMetricsAsJSON()` and the
 * cluster aggregator treat it as one of theirs.
 * @internal
 */
export class StoreBackedMetric {
  readonly aggregator = 'sum' as const;
  readonly help: string;
  readonly type: 'counter' | 'histogram';

  constructor(
    readonly name: string,
    readonly store: HttpMetricsStore,
    private readonly family: HttpMetricFamily,
  ) {
    this.help = family.help;
    this.type = family.type;
  }

  async get(): Promise<StoreBackedMetricValues> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.family.read(this.store, this.name) };
  }

  reset(): void {
    this.store.reset();
  }
}

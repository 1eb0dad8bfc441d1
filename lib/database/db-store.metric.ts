import type { DbMetricFamily, DbSample } from './db-metric-families.js';
import type { DbMetricsStore } from './db-metrics.store.js';

/**
 * A metric on a prom-client `Registry` whose values are read from a `DbMetricsStore` at scrape
 * time. It has prom-client's metric shape (`name`, `help`, `type`, `aggregator`, `get()`,
 * `reset()`), so exposition, `getMetricsAsJSON()` and the multi-process aggregators read it as one
 * of theirs.
 * @internal
 */
export class DbStoreMetric {
  readonly aggregator = 'sum' as const;
  readonly help: string;
  readonly type: 'counter' | 'histogram';

  constructor(
    readonly name: string,
    readonly store: DbMetricsStore,
    private readonly family: DbMetricFamily,
  ) {
    this.help = family.help;
    this.type = family.type;
  }

  async get(): Promise<{ name: string; help: string; type: 'counter' | 'histogram'; aggregator: 'sum'; values: DbSample[] }> {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.family.read(this.store, this.name) };
  }

  reset(): void {
    this.store.reset();
  }
}

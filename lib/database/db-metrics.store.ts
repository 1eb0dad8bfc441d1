import { DbSeries } from './db-series.js';
import type { DbVendor } from './db-vendor.js';

/**
 * Every database series of one registry and namespace, keyed by `alias` and `vendor`. Two
 * instrumented instances with the same alias and vendor share a series (their counts add up).
 * @internal
 */
export class DbMetricsStore {
  readonly series = new Map<string, DbSeries>();
  private readonly bounds: Float64Array;

  constructor(readonly latencyBuckets: ReadonlyArray<number>) {
    this.bounds = Float64Array.from(latencyBuckets);
  }

  seriesFor(alias: string, vendor: DbVendor): DbSeries {
    const key = `${alias}\u0000${vendor}`;
    let series = this.series.get(key);
    if (series === undefined) this.series.set(key, (series = new DbSeries(alias, vendor, this.bounds)));
    return series;
  }

  reset(): void {
    for (const series of this.series.values()) series.reset();
  }
}

import { Gauge, type Registry } from 'prom-client';
import { getOrCreateMetric } from '../registry/get-or-create-metric.js';
import { MIGRATION_GAUGE_NAMES } from './migration-metrics.constants.js';
import type { MigrationCounts } from './read-typeorm-migrations.js';

/** One connection's migration state as an app knows it. @internal */
export interface MigrationSource {
  readonly connection: string;
  /** `undefined` until a read succeeded: the series is absent, never 0. */
  counts(): MigrationCounts | undefined;
  /** Called on each scrape before the values are read; may return a read worth waiting for. */
  beforeScrape(): Promise<void> | undefined;
}

const SOURCES = new WeakMap<Gauge<string>, Set<MigrationSource>>();

/**
 * The two migration gauges on `registry`, filled at scrape time from every registered source. They
 * merge across processes with `max` (every process reads the same table), so the multi-process
 * aggregate holds one series per connection rather than one per pid.
 * @internal
 */
export function ensureMigrationGauges(registry: Registry, namespace: string): { add(source: MigrationSource): () => void } {
  const prefix = namespace === '' ? '' : `${namespace}_`;
  const gauges = (Object.keys(MIGRATION_GAUGE_NAMES) as Array<keyof MigrationCounts>).map((field) => {
    const gauge: Gauge<string> = getOrCreateMetric(registry, Gauge, {
      name: prefix + MIGRATION_GAUGE_NAMES[field],
      help: field === 'applied' ? 'Count of applied migrations by database connection' : 'Count of unapplied migrations by database connection',
      labelNames: ['connection'],
      aggregator: 'max' as const,
      async collect(this: Gauge<string>) {
        const sources = [...(SOURCES.get(this) ?? [])];
        await Promise.all(sources.map((s) => s.beforeScrape()));
        this.reset();
        for (const source of sources) {
          const counts = source.counts();
          if (counts !== undefined) this.set({ connection: source.connection }, counts[field]);
        }
      },
    });
    if (!SOURCES.has(gauge)) SOURCES.set(gauge, new Set());
    return SOURCES.get(gauge) as Set<MigrationSource>;
  });
  return {
    add(source) {
      for (const set of gauges) set.add(source);
      return () => {
        for (const set of gauges) set.delete(source);
      };
    },
  };
}

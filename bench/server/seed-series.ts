import { DEFAULT_LATENCY_BUCKETS } from 'nest-prometheus';
import { Histogram, type Registry } from 'prom-client';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Adds a histogram with `series` label sets (view × method, the package's 17 latency buckets, the
 * shape of the per-view latency histogram) to `registry`, each observed once.
 */
export function seedHistogramSeries(registry: Registry, series: number): Histogram<string> {
  const histogram = new Histogram({
    name: 'bench_seeded_latency_seconds',
    help: 'Seeded series for the scrape benchmark.',
    labelNames: ['view', 'method'],
    buckets: [...DEFAULT_LATENCY_BUCKETS],
    registers: [registry],
  });
  for (let i = 0; i < series; i++) {
    histogram.observe({ view: `BenchController.handler${Math.floor(i / METHODS.length)}`, method: METHODS[i % METHODS.length] as string }, (i % 97) / 10);
  }
  return histogram;
}

// The sliced aggregation gives what prom-client's AggregatorRegistry.aggregate gives, for every
// aggregator, and leaves the event loop free while it merges many series.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, Summary, type MetricObjectWithValues, type MetricValue } from 'prom-client';

const HERE = dirname(fileURLToPath(import.meta.url));
type Arrays = MetricObjectWithValues<MetricValue<string>>[][];
const { aggregateMetricsSliced } = (await import(pathToFileURL(join(HERE, '../../../dist/multiprocess/aggregate-metrics-sliced.js')).href)) as {
  aggregateMetricsSliced: (arrays: Arrays, sliceMs?: number) => Promise<Registry>;
};

/** One process's metrics: every type, every aggregator, values that differ per process. */
async function processMetrics(seed: number, extraSeries: number): Promise<Arrays[number]> {
  const registry = new Registry();
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'], registers: [registry] });
  counter.inc({ a: 'x', b: String(seed % 2) }, seed + 1);
  counter.inc({ b: 'y', a: 'z' }, 2);
  for (const aggregator of ['sum', 'first', 'min', 'max', 'average', 'omit'] as const) {
    const gauge = new Gauge({ name: `g_${aggregator}`, help: `gauge ${aggregator}`, labelNames: ['k'], aggregator, registers: [registry] });
    gauge.set({ k: 'one' }, seed * 3 - 4);
    if (seed !== 1) gauge.set({ k: `only${seed}` }, seed);
  }
  const histogram = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['view'], buckets: [0.1, 1, 10], registers: [registry] });
  for (let i = 0; i < extraSeries; i++) histogram.observe({ view: `v${i}` }, (i % 13) / (seed + 1));
  const summary = new Summary({ name: 's_bytes', help: 's', percentiles: [0.5, 0.9], registers: [registry] });
  summary.observe(seed * 10);
  return registry.getMetricsAsJSON() as Promise<Arrays[number]>;
}

describe('aggregateMetricsSliced', () => {
  it('renders and reads exactly as AggregatorRegistry.aggregate for counters, gauges of every aggregator, histograms and summaries', async () => {
    const arrays = [await processMetrics(1, 40), await processMetrics(2, 60), await processMetrics(3, 10)];
    const expected = AggregatorRegistry.aggregate(arrays);
    const actual = await aggregateMetricsSliced(arrays);
    assert.equal(await actual.metrics(), await expected.metrics());
    assert.deepEqual(await actual.getMetricsAsJSON(), await expected.getMetricsAsJSON());
    assert.equal(actual.getSingleMetric('g_omit'), undefined);
    assert.ok((await actual.metrics()).includes('g_max{k="one"} 5'), 'the max of -1, 2 and 5');
  });

  it('yields to the event loop while merging a large input (a timer runs before it finishes)', async () => {
    const arrays = [await processMetrics(1, 3000), await processMetrics(2, 3000)];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await aggregateMetricsSliced(arrays, 0);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, `the interval timer ran ${ticks} times during the merge`);
  });
});

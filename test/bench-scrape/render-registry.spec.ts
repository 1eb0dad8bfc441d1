import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderRegistry } from 'nest-prometheus';
import { Counter, Gauge, Histogram, Registry, Summary, collectDefaultMetrics, type OpenMetricsContentType } from 'prom-client';
import { promlint } from '../support/promlint.js';

const BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 25, 50, 75];

/** A registry holding every metric type and every escaping case the text format has. */
function mixedRegistry(): Registry {
  const registry = new Registry();
  const counter = new Counter({ name: 'jobs_total', help: 'Jobs\\done\nacross lines', labelNames: ['queue', 'kind'], registers: [registry] });
  counter.inc({ queue: 'a"quoted"', kind: 'back\\slash' }, 3);
  counter.inc({ queue: 'multi\nline', kind: 'plain' });
  counter.inc({ queue: 'ünïcode ✓', kind: '' }, 0.5);
  new Counter({ name: 'untouched_total', help: 'never incremented', labelNames: ['x'], registers: [registry] });
  new Counter({ name: 'unlabelled_total', help: 'no labels', registers: [registry] }).inc(7);
  const gauge = new Gauge({ name: 'temperature_celsius', help: 'gauge', labelNames: ['room'], registers: [registry] });
  gauge.set({ room: 'hall' }, -12.75);
  gauge.set({ room: 'nan' }, Number.NaN);
  gauge.set({ room: 'hot' }, Number.POSITIVE_INFINITY);
  gauge.set({ room: 'cold' }, Number.NEGATIVE_INFINITY);
  gauge.set({ room: 'tiny' }, 1e-7);
  new Gauge({ name: 'collected_value', help: 'set in collect', registers: [registry], collect() { this.set(42); } });
  new Gauge({ name: 'async_collected_value', help: 'set in async collect', labelNames: ['k'], registers: [registry],
    async collect() { await Promise.resolve(); this.set({ k: 'v' }, 1.5); } });
  const histogram = new Histogram({ name: 'latency_seconds', help: 'by view', labelNames: ['view', 'method'], buckets: BUCKETS, registers: [registry] });
  for (const [i, value] of [0.003, 0.02, 0.3, 3, 100, 0.075].entries()) histogram.observe({ view: `V.h${i % 3}`, method: i % 2 ? 'GET' : 'PO"ST' }, value);
  histogram.zero({ view: 'zeroed', method: 'GET' });
  const plain = new Histogram({ name: 'body_bytes', help: 'no labels', buckets: [0, 1, 2, 4, 8], registers: [registry] });
  plain.observe(3);
  plain.observe(0);
  new Histogram({ name: 'empty_labelled_seconds', help: 'no observations', labelNames: ['a'], registers: [registry] });
  new Histogram({ name: 'collected_seconds', help: 'observed in collect', registers: [registry], collect() { this.reset(); this.observe(0.2); } });
  const summary = new Summary({ name: 'size_bytes', help: 'summary', labelNames: ['route'], percentiles: [0.5, 0.9, 0.99], registers: [registry] });
  for (let i = 0; i < 50; i++) summary.observe({ route: i % 2 ? '/a' : '/b' }, i * 3.3);
  return registry;
}

function bigHistogramRegistry(series: number): Registry {
  const registry = new Registry();
  const histogram = new Histogram({ name: 'nestjs_http_requests_latency_seconds_by_view_method', help: 'latency', labelNames: ['view', 'method'], buckets: BUCKETS, registers: [registry] });
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  for (let i = 0; i < series / methods.length; i++) for (const method of methods) histogram.observe({ view: `ItemsController.handler${i}`, method }, (i % 97) / 10);
  return registry;
}

describe('renderRegistry', () => {
  it('renders byte for byte what registry.metrics() renders, for every metric type and escape', async (t) => {
    const registry = mixedRegistry();
    const expected = await registry.metrics();
    const actual = await renderRegistry(registry);
    assert.equal(actual, expected);
    assert.match(actual, /latency_seconds_bucket\{le="0\.01",view="V\.h0",method="PO\\"ST"\} 1/);
    const lint = await promlint(actual, t);
    assert.equal(lint.code, 0, lint.output);
  });

  it('matches with registry default labels, which fill in labels a series does not set', async () => {
    const registry = mixedRegistry();
    registry.setDefaultLabels({ app: 'svc', view: 'default-view' });
    const actual = await renderRegistry(registry);
    assert.equal(actual, await registry.metrics());
    assert.match(actual, /latency_seconds_bucket\{le="\+Inf",app="svc",view="V\.h1",method="GET"\} 1/);
  });

  it('matches on an empty registry and on one with default Node.js metrics', async () => {
    assert.equal(await renderRegistry(new Registry()), await new Registry().metrics());
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    // Default metrics change between two collections; compare their structure: names, types, label sets.
    const shape = (text: string) => text.replace(/ [^ \n]+$/gm, ' <v>');
    assert.equal(shape(await renderRegistry(registry)), shape(await registry.metrics()));
  });

  it('matches for 1,250 histogram series', async () => {
    const registry = bigHistogramRegistry(1250);
    const actual = await renderRegistry(registry);
    assert.equal(actual, await registry.metrics());
    assert.equal(actual.split('\n').filter((line) => line.startsWith('nestjs_')).length, 1250 * (BUCKETS.length + 3));
  });

  it('starts every collect() before awaiting any, as prom-client does', async () => {
    const events: string[] = [];
    const registry = new Registry();
    for (const i of [0, 1, 2]) {
      new Gauge({
        name: `slow_${i}`,
        help: 'async collect',
        registers: [registry],
        async collect() {
          events.push(`start ${i}`);
          for (let turn = 0; turn < 3; turn++) await Promise.resolve();
          this.set(i);
          events.push(`end ${i}`);
        },
      });
    }
    new Histogram({ name: 'slow_histogram', help: 'async collect', registers: [registry],
      async collect() { events.push('start h'); await Promise.resolve(); events.push('end h'); } });
    const body = await renderRegistry(registry);
    assert.deepEqual(events.slice(0, 4), ['start 0', 'start 1', 'start 2', 'start h']);
    assert.match(body, /^slow_2 2$/m);
  });

  it('rejects with the error of a failing collect(), like registry.metrics()', async () => {
    const registry = new Registry();
    new Gauge({ name: 'fine', help: 'ok', registers: [registry] }).set(1);
    new Gauge({ name: 'broken', help: 'fails', registers: [registry], async collect() { throw new Error('collect failed'); } });
    new Histogram({ name: 'broken_histogram', help: 'fails', registers: [registry], collect() { throw new Error('histogram collect failed'); } });
    await assert.rejects(registry.metrics(), /collect failed/);
    await assert.rejects(renderRegistry(registry), /collect failed/);
  });

  it('rejects a bad sliceMs, naming the option and what it accepts', async () => {
    await assert.rejects(renderRegistry(new Registry(), { sliceMs: -1 }), /option `sliceMs` is -1; accepted: a finite number of milliseconds >= 0/);
    await assert.rejects(renderRegistry(new Registry(), { sliceMs: Number.NaN }), /`sliceMs` is NaN/);
  });

  it('hands OpenMetrics registries to prom-client unchanged', async () => {
    const registry = new Registry<OpenMetricsContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    new Counter({ name: 'jobs_total', help: 'jobs', labelNames: ['queue'], registers: [registry] }).inc({ queue: 'a' });
    new Histogram({ name: 'latency_seconds', help: 'latency', registers: [registry] }).observe(0.3);
    const actual = await renderRegistry(registry);
    assert.equal(actual, await registry.metrics());
    assert.match(actual, /# EOF\n$/);
  });

  it('yields to the event loop while rendering a large registry', async () => {
    const registry = bigHistogramRegistry(5000);
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    const body = await renderRegistry(registry, { sliceMs: 2 });
    clearInterval(ticker);
    assert.equal(body, await registry.metrics());
    assert.ok(turns > 3, `timers ran ${turns} times during the render`);
  });
});

// Snapshot format 2 (newline-delimited records, compact histogram series): the aggregate of
// format-2 files is exactly the aggregate of the same snapshots in format 1 (and prom-client's),
// format-1 files are still read, and a truncated or corrupt format-2 file is skipped with a reason
// naming the line while the other files are still merged.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, Summary } from 'prom-client';

const HERE = dirname(fileURLToPath(import.meta.url));
const dist = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(HERE, '../../../dist', path)).href)) as T;

interface Snapshot {
  readonly version: number;
  readonly pid: number;
  readonly metrics: ReadonlyArray<{ readonly name: string; readonly values: unknown[]; readonly histogram?: unknown }>;
}
type Input = { snapshot: Snapshot; gone: boolean };
const { MultiprocessDirectory } = await dist<{
  MultiprocessDirectory: new (dir: string, logger: { warn(message: string): void }) => {
    write(snapshot: Snapshot): Promise<void>;
    read(): Promise<{ inputs: Input[]; skipped: number }>;
  };
}>('multiprocess/multiprocess-directory.js');
const { aggregateSnapshots } = await dist<{ aggregateSnapshots: (inputs: Input[]) => Promise<Registry> }>('multiprocess/aggregate-snapshots.js');
const { snapshotRegistry } = await dist<{ snapshotRegistry: (registry: Registry) => Promise<Snapshot> }>('multiprocess/snapshot-registry.js');
const v2 = await dist<{
  snapshotV2Records: (snapshot: Snapshot, sliceMs?: number) => Promise<string[]>;
  joinRecords: (records: string[]) => string;
  parseSnapshotV2: (text: string, sliceMs?: number) => Promise<{ ok: boolean; reason?: string; snapshot?: Snapshot }>;
  checkSnapshotV2: (text: string) => Promise<{ ok: boolean; reason?: string; snapshot?: { outline: Array<{ name: string }>; metrics?: unknown } }>;
}>('multiprocess/snapshot-v2.js');
const { renderRegistry } = await dist<{ renderRegistry: (registry: Registry) => Promise<string> }>('index.js');

/** One process's registry: every type and aggregator, default labels, series that differ per process. */
function processRegistry(seed: number, series: number): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'shop', zone: seed === 2 ? 'b' : 'a' });
  const registers = [registry];
  const counter = new Counter({ name: 'c_total', help: 'c', labelNames: ['a', 'b'], registers });
  counter.inc({ a: 'x', b: String(seed % 2) }, seed + 1);
  counter.inc({ b: 'y', a: 'z' }, 2);
  for (const aggregator of ['sum', 'first', 'min', 'max', 'average', 'omit'] as const) {
    const gauge = new Gauge({ name: `g_${aggregator}`, help: `gauge ${aggregator}`, labelNames: ['k'], aggregator, registers });
    gauge.set({ k: 'one' }, seed * 3 - 4);
    if (seed !== 1) gauge.set({ k: `only${seed}` }, seed);
  }
  const latency = new Histogram({ name: 'h_seconds', help: 'h', labelNames: ['view', 'method'], buckets: [0.1, 1, 10], registers });
  for (let i = 0; i < series; i++) latency.observe({ view: `v${(i * seed) % series}`, method: i % 2 === 0 ? 'GET' : 'POST' }, (i % 13) / (seed + 1));
  latency.observe({ method: 'GET', view: 'reordered' }, 0.5);
  // A label value with ':' and ',': merged sample by sample (the compact key could be ambiguous).
  const odd = new Histogram({ name: 'odd_seconds', help: 'odd', labelNames: ['route'], buckets: [1], registers });
  odd.observe({ route: 'a:b,c' }, seed);
  // Buckets that differ between processes: merged sample by sample too.
  const moved = new Histogram({ name: 'moved_seconds', help: 'moved', buckets: seed === 3 ? [0.5, 5] : [1, 5], aggregator: 'max', registers });
  moved.observe(seed);
  const summary = new Summary({ name: 's_bytes', help: 's', percentiles: [0.5, 0.9], registers });
  summary.observe(seed * 10);
  return registry;
}

/** What earlier versions wrote: prom-client's JSON form, gauges with the default aggregator marked per process. */
async function formatOne(registry: Registry, pid: number): Promise<string> {
  const metrics = (await registry.getMetricsAsJSON()).map((m) => ((m.type as unknown) === 'gauge' && m.aggregator === 'sum' ? { ...m, perProcess: true } : m));
  return JSON.stringify({ version: 1, pid, hostname: 'h', writtenAt: Date.now(), exited: false, metrics });
}

async function formatTwo(registry: Registry, pid: number): Promise<string> {
  const snapshot = { ...(await snapshotRegistry(registry)), pid, hostname: 'h' };
  return v2.joinRecords(await v2.snapshotV2Records(snapshot, 0));
}

const quiet = { warn: () => {} };
const dirs: string[] = [];
function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-v2-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function aggregateOf(dir: string, logger: { warn(message: string): void } = quiet): Promise<{ text: string; registry: Registry; skipped: number }> {
  const { inputs, skipped } = await new MultiprocessDirectory(dir, logger).read();
  const registry = await aggregateSnapshots(inputs);
  return { text: await renderRegistry(registry), registry, skipped };
}

describe('snapshot format 2', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const registries = [processRegistry(1, 40), processRegistry(2, 60), processRegistry(3, 10)];

  it('the aggregate of format-2 files is the aggregate of the same snapshots in format 1, by both renderers and in JSON', async () => {
    const one = await aggregateOf(directory(Object.fromEntries(await Promise.all(registries.map(async (r, i) => [`p${i}.json`, await formatOne(r, 101 + i)])))));
    const two = await aggregateOf(directory(Object.fromEntries(await Promise.all(registries.map(async (r, i) => [`p${i}.json`, await formatTwo(r, 101 + i)])))));
    assert.equal(one.skipped, 0);
    assert.equal(two.skipped, 0);
    assert.equal(two.text, one.text);
    assert.equal(await two.registry.metrics(), one.text, "prom-client's own renderer reads the compact aggregate the same");
    assert.deepEqual(await two.registry.getMetricsAsJSON(), await one.registry.getMetricsAsJSON());
    assert.match(two.text, /^h_seconds_bucket\{le="\+Inf",method="GET",view="reordered",app="shop",zone="a"\} 2$/m);
    assert.match(two.text, /^g_sum\{k="one",app="shop",zone="a",pid="101"\} -1$/m, 'gauges stay per process');
  });

  it('gives what prom-client aggregates for metrics without per-process gauges', async () => {
    const histograms = async (r: Registry) => (await r.getMetricsAsJSON()).filter((m) => (m.type as unknown) !== 'gauge');
    const expected = await AggregatorRegistry.aggregate(await Promise.all(registries.map(histograms))).metrics();
    const files = Object.fromEntries(await Promise.all(registries.map(async (r, i) => [`p${i}.json`, await formatTwo(r, 101 + i)])));
    const { registry } = await aggregateOf(directory(files));
    for (const metric of registry.getMetricsAsArray()) if ((metric as unknown as { type: string }).type === 'gauge') registry.removeSingleMetric(metric.name);
    assert.equal(await renderRegistry(registry), expected);
  });

  it('reads format-1 files next to format-2 files (a rolling upgrade): same aggregate as all format 1', async () => {
    const one = await aggregateOf(directory(Object.fromEntries(await Promise.all(registries.map(async (r, i) => [`p${i}.json`, await formatOne(r, 101 + i)])))));
    const mixed = await aggregateOf(
      directory({ 'p0.json': await formatTwo(registries[0] as Registry, 101), 'p1.json': await formatOne(registries[1] as Registry, 102), 'p2.json': await formatTwo(registries[2] as Registry, 103) }),
    );
    assert.equal(mixed.skipped, 0);
    assert.equal(mixed.text, one.text);
  });

  it('the package writes format 2: a header record first, an end record last', async () => {
    const dir = directory({});
    await new MultiprocessDirectory(dir, quiet).write(await snapshotRegistry(registries[0] as Registry));
    const [name] = readdirSync(dir);
    const lines = readFileSync(join(dir, name as string), 'utf8').split('\n');
    assert.equal(JSON.parse(lines[0] as string).version, 2);
    assert.equal(lines.at(-1), '');
    assert.ok(JSON.parse(lines.at(-2) as string).end, lines.at(-2));
  });

  it('skips a truncated or corrupt format-2 file with a reason naming it, and still merges the others', async () => {
    const good = await formatTwo(registries[0] as Registry, 101);
    const lines = good.split('\n');
    const seriesLine = lines.findIndex((l) => l.startsWith('{"series":'));
    const files = {
      'good.json': good,
      'cut-at-line.json': `${lines.slice(0, -2).join('\n')}\n`,
      'cut-mid-line.json': good.slice(0, Math.floor(good.length / 2)),
      'bad-value.json': lines.map((l, i) => (i === seriesLine ? l.replace(/\},\[(\d+),/, '},["x",') : l)).join('\n'),
      'bad-count.json': lines.map((l, i) => (i === seriesLine ? l.replace(/,(\d+)\]\]/, ']]') : l)).join('\n'),
      'bad-end.json': good.replace(/"chunks":\d+/, '"chunks":999'),
      'after-end.json': `${good}{"samples":[]}\n`,
    };
    assert.notEqual(files['bad-value.json'], good);
    assert.notEqual(files['bad-count.json'], good);
    const warnings: string[] = [];
    const result = await aggregateOf(directory(files), { warn: (message) => warnings.push(message) });
    assert.equal(result.skipped, 6, warnings.join('\n'));
    const reasons: Record<string, RegExp> = {
      'cut-at-line.json': /truncated: no end record after line \d+ \(the file was cut short\)/,
      'cut-mid-line.json': /line \d+: not valid JSON \(.*\): the file is truncated or corrupt/,
      'bad-value.json': new RegExp(`line ${seriesLine + 1}: metric "h_seconds" series\\[\\d+\\]: value "x" is not a number`),
      'bad-count.json': new RegExp(`line ${seriesLine + 1}: metric "h_seconds" series\\[\\d+\\]: values is not an array of 6 numbers`),
      'bad-end.json': /the end record counts .*"chunks":999.*, but the file holds \d+ metrics in \d+ chunks/,
      'after-end.json': /line \d+: a record after the end record/,
    };
    for (const [name, reason] of Object.entries(reasons)) {
      const lines = warnings.filter((w) => w.includes(`skipping "${name}"`));
      assert.equal(lines.length, 1, `${name}\n${warnings.join('\n')}`);
      assert.match(lines[0] as string, reason, name);
    }
    // The good file alone: its counter, as written.
    assert.match(result.text, /^c_total\{a="x",b="1",app="shop",zone="a"\} 2$/m);
  });

  it('merges as it parses: a checked file keeps only the outline of its metrics, not its series', async () => {
    const checked = await v2.checkSnapshotV2(await formatTwo(registries[1] as Registry, 102));
    assert.equal(checked.ok, true, checked.reason);
    assert.equal(checked.snapshot?.metrics, undefined);
    assert.deepEqual(
      checked.snapshot?.outline.map((m) => m.name),
      (await (registries[1] as Registry).getMetricsAsJSON()).map((m) => m.name),
    );
  });

  it('a file that fails late (after records that were valid) leaves no trace in the aggregate', async () => {
    const good = await formatTwo(registries[2] as Registry, 103);
    const lines = good.split('\n');
    const lastSeries = lines.findLastIndex((l) => l.startsWith('{"series":'));
    // Valid up to its last series record, whose last number is not one: found after the rest was read.
    const bad = lines.map((l, i) => (i === lastSeries ? l.replace(/,([0-9.e+-]+)\]\]\]\}$/, ',"x"]]]}') : l)).join('\n');
    assert.notEqual(bad, good);
    const p0 = await formatTwo(registries[0] as Registry, 101);
    const p1 = await formatTwo(registries[1] as Registry, 102);
    const without = await aggregateOf(directory({ 'p0.json': p0, 'p1.json': p1 }));
    const warnings: string[] = [];
    const withBad = await aggregateOf(directory({ 'p0.json': p0, 'p0b.json': bad, 'p1.json': p1 }), { warn: (message) => warnings.push(message) });
    assert.equal(withBad.skipped, 1, warnings.join('\n'));
    assert.match(warnings.join('\n'), new RegExp(`skipping "p0b.json".*line ${lastSeries + 1}: .*is not a number`));
    assert.equal(withBad.text, without.text);
  });

  it('a label value that makes a series key ambiguous in a later process only: merged sample by sample from the start, as prom-client', async () => {
    const make = (seed: number) => {
      const registry = new Registry();
      const late = new Histogram({ name: 'late_seconds', help: 'late', labelNames: ['route'], buckets: [1, 2], registers: [registry] });
      for (let i = 0; i < 50; i++) late.observe({ route: `/r${(i * seed) % 50}` }, i % 3);
      if (seed === 3) late.observe({ route: 'host:80,x' }, 1);
      return registry;
    };
    const all = [make(1), make(2), make(3)];
    const expected = await AggregatorRegistry.aggregate(await Promise.all(all.map((r) => r.getMetricsAsJSON()))).metrics();
    const { text, skipped } = await aggregateOf(directory(Object.fromEntries(await Promise.all(all.map(async (r, i) => [`p${i}.json`, await formatTwo(r, 101 + i)])))));
    assert.equal(skipped, 0);
    assert.equal(text, expected);
  });

  it('rejects records that break the rules of format 1 too (names, labels, types, duplicates)', async () => {
    const header = '{"version":2,"pid":7,"hostname":"h","writtenAt":0,"exited":false}';
    const cases: Array<[string, RegExp]> = [
      [`${header}\n{"metric":{"name":"bad name","help":"x","type":"counter","aggregator":"sum"}}\n{"end":{"metrics":1,"chunks":0}}\n`, /line 2: metric\.name "bad name" is not a valid metric name/],
      [`${header}\n{"metric":{"name":"c","help":"x","type":"counter","aggregator":"sum","buckets":[1]}}\n{"end":{"metrics":1,"chunks":0}}\n`, /buckets on a counter/],
      [`${header}\n{"metric":{"name":"h","help":"x","type":"histogram","aggregator":"sum","buckets":[1]}}\n{"series":[[{"le":"1"},[0,0,0,0]]]}\n{"end":{"metrics":1,"chunks":1}}\n`, /"le" is reserved/],
      [`${header}\n{"metric":{"name":"h","help":"x","type":"histogram","aggregator":"sum","buckets":[1]}}\n{"series":[[{"bad-label":"1"},[0,0,0,0]]]}\n{"end":{"metrics":1,"chunks":1}}\n`, /"bad-label" is not a valid label name/],
      [`${header}\n{"metric":{"name":"c","help":"x","type":"counter","aggregator":"sum"}}\n{"samples":[{"value":"lots","labels":{}}]}\n{"end":{"metrics":1,"chunks":1}}\n`, /line 3: metric "c" samples\[0\]: value "lots" is not a number/],
      [`${header}\n{"metric":{"name":"c","help":"x","type":"counter","aggregator":"sum"}}\n{"metric":{"name":"c","help":"x","type":"counter","aggregator":"sum"}}\n{"end":{"metrics":2,"chunks":0}}\n`, /metric "c" appears twice/],
      [`${header}\n{"samples":[]}\n{"end":{"metrics":0,"chunks":1}}\n`, /line 2: a samples chunk that does not follow/],
      [`{"version":2,"pid":-1}\n{"end":{"metrics":0,"chunks":0}}\n`, /line 1: `pid` is not a positive integer/],
    ];
    for (const [text, reason] of cases) {
      const result = await v2.parseSnapshotV2(text);
      assert.equal(result.ok, false, text);
      assert.match(result.reason as string, reason);
    }
    const fine = await v2.parseSnapshotV2(`${header}\n{"metric":{"name":"c","help":"x","type":"counter","aggregator":"sum"}}\n{"samples":[{"value":null,"labels":{}}]}\n{"end":{"metrics":1,"chunks":1}}\n`);
    assert.equal(fine.ok, true, fine.reason);
    assert.ok(Number.isNaN((fine.snapshot?.metrics[0]?.values[0] as { value: number }).value), 'null reads as NaN, as in format 1');
  });

  it('a hand-written file with a repeated bucket bound is merged sample by sample, as prom-client merges it', async () => {
    const header = (pid: number) => `{"version":2,"pid":${pid},"hostname":"h","writtenAt":0,"exited":false}`;
    const file = (pid: number) =>
      `${header(pid)}\n{"metric":{"name":"r_seconds","help":"r","type":"histogram","aggregator":"sum","buckets":[1,1]}}\n{"series":[[{"a":"x"},[1,2,3,4.5,3]]]}\n{"end":{"metrics":1,"chunks":1}}\n`;
    const samples = [
      { value: 1, labels: { le: 1, a: 'x' }, metricName: 'r_seconds_bucket' },
      { value: 2, labels: { le: 1, a: 'x' }, metricName: 'r_seconds_bucket' },
      { value: 3, labels: { le: '+Inf', a: 'x' }, metricName: 'r_seconds_bucket' },
      { value: 4.5, labels: { a: 'x' }, metricName: 'r_seconds_sum' },
      { value: 3, labels: { a: 'x' }, metricName: 'r_seconds_count' },
    ];
    const metric = { name: 'r_seconds', help: 'r', type: 'histogram', aggregator: 'sum', values: samples };
    const expected = await AggregatorRegistry.aggregate([[metric], [metric]] as never).metrics();
    const { text, skipped } = await aggregateOf(directory({ 'a.json': file(1), 'b.json': file(2) }));
    assert.equal(skipped, 0);
    assert.equal(text, expected);
    assert.match(text, /^r_seconds_bucket\{le="1",a="x"\} 6$/m, 'the two bounds are one sample to prom-client');
  });

  it('writes and parses in slices: a timer runs while a large snapshot is built and while it is parsed', async () => {
    const registry = new Registry();
    const histogram = new Histogram({ name: 'big_seconds', help: 'b', labelNames: ['i'], registers: [registry] });
    for (let i = 0; i < 5000; i++) histogram.observe({ i: String(i) }, i);
    const snapshot = await snapshotRegistry(registry);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const records = await v2.snapshotV2Records(snapshot, 0);
      assert.ok(records.length > 10, `${records.length} records`);
      const writing = ticks;
      assert.ok(writing > 0, 'the timer ran while the records were built');
      const parsed = await v2.parseSnapshotV2(v2.joinRecords(records), 0);
      assert.equal(parsed.ok, true, parsed.reason);
      assert.ok(ticks > writing, 'the timer ran while the records were parsed');
    } finally {
      clearInterval(timer);
    }
  });
});

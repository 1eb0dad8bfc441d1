import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ask, type Child, type ChildEvent, fixture, freePorts, getFresh, sample, spawnNode } from '../fixtures/child-process.js';
import { promlint } from '../support/promlint.js';

const APP = fixture('export-app.js');
const PLAIN = fixture('plain-exporter.js');

const header = { version: 1, pid: 2147480000, hostname: 'elsewhere', writtenAt: 0, exited: false };
const counter = (extra: Record<string, unknown> = {}) => ({ name: 'planted_total', help: 'x', type: 'counter', aggregator: 'sum', values: [{ value: 1, labels: {} }], ...extra });

/** Files that are valid JSON (or close to it) but not snapshots this version can merge: each is skipped. */
const MALFORMED: Record<string, string> = {
  'null-metric.json': JSON.stringify({ version: 1, metrics: [null] }),
  'values-null.json': JSON.stringify({ ...header, metrics: [counter({ values: null })] }),
  'unknown-aggregator.json': JSON.stringify({ ...header, metrics: [counter({ aggregator: 'median' })] }),
  'prototype-aggregator.json': JSON.stringify({ ...header, metrics: [counter({ aggregator: 'toString' })] }),
  'invalid-name.json': JSON.stringify({ ...header, metrics: [counter({ name: 'bad name{x="1"}' })] }),
  'string-value.json': JSON.stringify({ ...header, metrics: [counter({ values: [{ value: 'lots', labels: {} }] })] }),
  'invalid-label.json': JSON.stringify({ ...header, metrics: [counter({ values: [{ value: 1, labels: { 'bad-label': 'x' } }] })] }),
  'type-conflict.json': JSON.stringify({ ...header, metrics: [{ name: 'fixture_requests_total', help: 'x', type: 'gauge', aggregator: 'sum', values: [{ value: 5, labels: {} }] }] }),
  'not-json.json': '{"version":1,',
  'array.json': '[1,2,3]',
};

describe('hostile files in multiprocessDir never fail, hang or bloat a scrape (real processes, real FIFO and links)', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-hostile-'));
  const outside = mkdtempSync(join(tmpdir(), 'nest-prom-outside-'));
  const children: Child[] = [];
  let a: ChildEvent;
  let b: ChildEvent;
  let skippedCount = 0;

  before(async () => {
    for (const [name, text] of Object.entries(MALFORMED)) writeFileSync(join(dir, name), text);
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    symlinkSync('/dev/zero', join(dir, 'zero.json'));
    // A valid snapshot outside the directory, reached through a link: not followed either.
    writeFileSync(join(outside, 'valid.json'), JSON.stringify({ ...header, metrics: [counter()] }));
    symlinkSync(join(outside, 'valid.json'), join(dir, 'link-out.json'));
    // A sparse regular file beyond the size limit: refused from its size, never read.
    writeFileSync(join(dir, 'huge.json'), '');
    truncateSync(join(dir, 'huge.json'), 65 * 1024 * 1024);
    skippedCount = Object.keys(MALFORMED).length + 4;

    const ports = await freePorts(2);
    const env = { PROMETHEUS_MULTIPROC_DIR: dir, PROMETHEUS_METRICS_EXPORT_PORT_RANGE: ports.join(','), PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1' };
    const started = [spawnNode([APP], env), spawnNode([APP], { ...env, HTTP_ADAPTER: 'fastify' })];
    children.push(...started);
    [a, b] = await Promise.all(started.map((c) => c.take('ready')));
    assert.equal(a.event, 'ready', started[0].output);
    assert.equal(b.event, 'ready', started[1].output);
  });
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('every scrape answers 200 with the good processes merged, a clean exposition, and the skipped files counted', async (t) => {
    for (let i = 0; i < 3; i++) assert.equal((await getFresh(`http://127.0.0.1:${b.appPort}/hit`)).status, 200);
    await ask(children[1], 'flush', 'flushed');
    // More concurrent scrapes than libuv has threads (4): a blocking read would starve the pool.
    const urls = [a, b].flatMap((p) => [`http://127.0.0.1:${p.appPort}/metrics`, `http://127.0.0.1:${p.exportPort}/metrics`]);
    const answers = await Promise.all([...urls, ...urls].map((url) => getFresh(url)));
    for (const [index, { status, body }] of answers.entries()) {
      assert.equal(status, 200, `${urls[index % urls.length]}: ${body}`);
      assert.equal(sample(body, 'fixture_requests_total'), 3);
      assert.equal(sample(body, 'nestjs_multiprocess_skipped_files'), skippedCount, body.split('\n').filter((l) => l.includes('skipped')).join('\n'));
      assert.doesNotMatch(body, /planted_total|bad name/);
      assert.ok(body.length < 1024 * 1024, `a bloated scrape of ${body.length} bytes`);
    }
    const lint = await promlint(answers[0].body, t);
    assert.equal(lint.code, 0, lint.output);
  });

  it("the process's own file I/O goes on: its snapshot is still written after those scrapes", async () => {
    await ask(children[0], 'flush', 'flushed');
    await ask(children[1], 'flush', 'flushed');
  });

  it('each skipped file is warned about once, by name, with the reason', async () => {
    await getFresh(`http://127.0.0.1:${a.appPort}/metrics`);
    await ask(children[0], 'flush', 'flushed'); // everything logged before this answer is in the output
    const output = children[0].output;
    const reasons: Record<string, RegExp> = {
      'fifo.json': /not a regular file/,
      'zero.json': /a symbolic link \(links are not followed\)/,
      'link-out.json': /a symbolic link/,
      'huge.json': /68157440 bytes, larger than the 67108864-byte limit/,
      'null-metric.json': /pid/,
      'values-null.json': /values is not an array/,
      'unknown-aggregator.json': /unknown aggregator "median"/,
      'prototype-aggregator.json': /unknown aggregator "toString"/,
      'invalid-name.json': /is not a valid metric name/,
      'string-value.json': /value "lots" is not a number/,
      'invalid-label.json': /"bad-label" is not a valid label name/,
      'type-conflict.json': /metric "fixture_requests_total" is a gauge here but a counter in the aggregate/,
      'not-json.json': /not valid JSON/,
      'array.json': /not a JSON object/,
    };
    assert.equal(Object.keys(reasons).length, skippedCount);
    for (const [name, reason] of Object.entries(reasons)) {
      const lines = output.split('\n').filter((l) => l.includes(`skipping "${name}" in multiprocessDir`));
      assert.equal(lines.length, 1, `${name}: ${lines.length} warnings\n${lines.join('\n')}`);
      assert.match(lines[0] as string, reason, name);
    }
  });

  it('a FIFO removed and the skipped count follows the directory (a gauge of this scrape)', async () => {
    rmSync(join(dir, 'fifo.json'));
    const body = (await getFresh(`http://127.0.0.1:${a.exportPort}/metrics`)).body;
    assert.equal(sample(body, 'nestjs_multiprocess_skipped_files'), skippedCount - 1);
  });
});

describe('an unusable multiprocessDir fails startup fast with a clear error (real processes)', { timeout: 60_000 }, () => {
  const children: Child[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'nest-prom-baddir-'));
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    rmSync(scratch, { recursive: true, force: true });
  });

  const file = join(scratch, 'a-file');
  writeFileSync(file, '');
  const cases: Array<[string, string, string, RegExp]> = [
    ['/proc/nope (where recursive mkdir spins forever)', APP, '/proc/nope', /multiprocessDir` \(PROMETHEUS_MULTIPROC_DIR\) is "\/proc\/nope", which cannot be written: cannot create \/proc\/nope: ENOENT/],
    ['a path under /proc, two levels deep', APP, '/proc/nope/deeper', /is "\/proc\/nope\/deeper", which cannot be written: cannot create \/proc\/nope: ENOENT/],
    ['a path under a regular file', APP, join(file, 'metrics'), /which cannot be written: .*(ENOTDIR|not a directory)/],
    ['a regular file, for a reading-only exporter', PLAIN, file, /multiprocessDir` \(PROMETHEUS_MULTIPROC_DIR\) is ".*a-file", but it is not a directory/],
  ];
  for (const [title, script, value, expected] of cases) {
    it(title, async () => {
      const [port] = await freePorts(1);
      const child = spawnNode([script], { PROMETHEUS_MULTIPROC_DIR: value, PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1' });
      children.push(child);
      const event = await child.next((e) => e.event === 'ready' || e.event === 'error');
      assert.equal(event.event, 'error', child.output);
      assert.match(String(event.message), expected);
      await child.exited;
    });
  }
});

describe('a directory flooded with bad files does not flood the log (real process, reading-only exporter)', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-flood-'));
  const children: Child[] = [];
  after(async () => {
    await Promise.all(children.map((c) => c.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the first 20 skipped files, then one summary line; the next scrapes add nothing', async () => {
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `bad-${String(i).padStart(2, '0')}.json`), '{}');
    const [port] = await freePorts(1);
    const child = spawnNode([PLAIN], { PROMETHEUS_MULTIPROC_DIR: dir, PROMETHEUS_METRICS_EXPORT_PORT: String(port), PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1' });
    children.push(child);
    assert.equal((await child.take('ready')).exportPort, port, child.output);
    for (let i = 0; i < 3; i++) {
      const { status, body } = await getFresh(`http://127.0.0.1:${port}/metrics`);
      assert.equal(status, 200);
      assert.equal(sample(body, 'nestjs_multiprocess_skipped_files'), 60);
    }
    const named = child.output.split('\n').filter((l) => /skipping "bad-\d+\.json"/.test(l));
    assert.equal(named.length, 20, named.join('\n'));
    assert.equal(child.output.split('\n').filter((l) => /60 files of multiprocessDir .* are skipped; only the first 20 are named/.test(l)).length, 1);
  });
});

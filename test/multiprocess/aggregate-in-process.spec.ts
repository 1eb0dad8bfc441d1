import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { MultiprocessMetricsService, PrometheusModule, sumAcrossProcesses } from 'nest-prometheus';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';
import { promlint } from '../support/promlint.js';

interface Instruments {
  readonly registry: Registry;
  readonly jobs: Counter<string>;
  readonly latency: Histogram<string>;
  readonly perProcess: Gauge<string>;
  readonly summed: Gauge<string>;
  readonly highest: Gauge<string>;
}

function instruments(): Instruments {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    jobs: new Counter({ name: 'mp_jobs_total', help: 'Jobs done.', labelNames: ['kind'], registers }),
    latency: new Histogram({ name: 'mp_latency_seconds', help: 'Latency.', buckets: [0.1, 1], registers }),
    perProcess: new Gauge({ name: 'mp_heap_bytes', help: 'Per-process gauge.', registers }),
    summed: sumAcrossProcesses(new Gauge({ name: 'mp_in_flight', help: 'Summed gauge.', registers })),
    highest: new Gauge({ name: 'mp_highest', help: 'Max gauge.', aggregator: 'max', registers }),
  };
}

async function appWith(dir: string, m: Instruments, adapter: (typeof ADAPTERS)[number]): Promise<StartedApp> {
  @Module({ imports: [PrometheusModule.forRoot({ registry: m.registry, defaultMetrics: false, multiprocessDir: dir })] })
  class AppModule {}
  return startApp(AppModule, adapter);
}

describe('multiprocessDir aggregation through the controller (two apps, one per adapter)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nest-prom-mp-'));
  const apps: StartedApp[] = [];
  const cleanups: Array<() => void> = [];
  after(async () => {
    for (const app of apps) await app.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    for (const cleanup of cleanups) cleanup();
  });

  it('sums counters and histograms, keeps default gauges per process, honours sumAcrossProcesses and other aggregators', async (t) => {
    const a = instruments();
    const b = instruments();
    const [appA, appB] = [await appWith(dir, a, ADAPTERS[0]), await appWith(dir, b, ADAPTERS[1])];
    apps.push(appA, appB);
    a.jobs.inc({ kind: 'x' }, 2);
    b.jobs.inc({ kind: 'x' }, 3);
    b.jobs.inc({ kind: 'y' });
    a.latency.observe(0.05);
    b.latency.observe(0.5);
    b.latency.observe(5);
    a.perProcess.set(100);
    b.perProcess.set(200);
    a.summed.set(4);
    b.summed.set(6);
    a.highest.set(7);
    b.highest.set(9);
    await appB.app.get(MultiprocessMetricsService).flush();

    const res = await fetch(`${appA.url}/metrics`);
    assert.equal(res.headers.get('content-type'), a.registry.contentType);
    const text = await res.text();
    assert.match(text, /^mp_jobs_total\{kind="x"\} 5$/m);
    assert.match(text, /^mp_jobs_total\{kind="y"\} 1$/m);
    assert.match(text, /^mp_latency_seconds_bucket\{le="0.1"\} 1$/m);
    assert.match(text, /^mp_latency_seconds_bucket\{le="1"\} 2$/m);
    assert.match(text, /^mp_latency_seconds_bucket\{le="\+Inf"\} 3$/m);
    assert.match(text, /^mp_latency_seconds_count 3$/m);
    assert.match(text, /^mp_in_flight 10$/m);
    assert.match(text, /^mp_highest 9$/m);
    const perProcess = text.split('\n').filter((l) => l.startsWith('mp_heap_bytes{'));
    assert.equal(perProcess.length, 2, text);
    assert.ok(perProcess.every((l) => /^mp_heap_bytes\{pid="[^"]+"\} (100|200)$/.test(l)), perProcess.join('\n'));
    const lint = await promlint(text, t);
    assert.equal(lint.code, 0, lint.output);

    // The live values of the scraped process are used; the other process's only as of its last write.
    a.jobs.inc({ kind: 'x' });
    b.jobs.inc({ kind: 'x' });
    assert.match(await (await fetch(`${appA.url}/metrics`)).text(), /^mp_jobs_total\{kind="x"\} 6$/m);
  });

  it('a process that closed keeps its counts in the files; its gauges go', async () => {
    // Its own directory and apps, so the test does not lean on the state the test above left.
    const ownDir = mkdtempSync(join(tmpdir(), 'nest-prom-mp-closed-'));
    cleanups.push(() => rmSync(ownDir, { recursive: true, force: true }));
    const a = instruments();
    const b = instruments();
    const [appA, appB] = [await appWith(ownDir, a, ADAPTERS[0]), await appWith(ownDir, b, ADAPTERS[1])];
    apps.push(appA, appB);
    a.jobs.inc({ kind: 'x' }, 2);
    b.jobs.inc({ kind: 'x' }, 3);
    a.perProcess.set(100);
    b.perProcess.set(200);
    a.summed.set(4);
    b.summed.set(6);
    a.highest.set(7);
    b.highest.set(9);
    await appB.app.get(MultiprocessMetricsService).flush();
    const before = await (await fetch(`${appA.url}/metrics`)).text();
    assert.match(before, /^mp_jobs_total\{kind="x"\} 5$/m);
    assert.equal(before.split('\n').filter((l) => l.startsWith('mp_heap_bytes{')).length, 2, before);
    assert.match(before, /^mp_in_flight 10$/m);
    assert.match(before, /^mp_highest 9$/m);
    b.jobs.inc({ kind: 'x' }); // after b's last flush: only its shutdown write carries it
    await appB.close();
    const files = readdirSync(ownDir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 2, 'one file per process lifetime, no temporary files left');
    // Format 2: the first line is the header record.
    assert.ok(files.some((f) => JSON.parse(readFileSync(join(ownDir, f), 'utf8').split('\n')[0] as string).exited === true));
    const text = await (await fetch(`${appA.url}/metrics`)).text();
    assert.match(text, /^mp_jobs_total\{kind="x"\} 6$/m, 'b wrote its last increment at shutdown');
    assert.equal(text.split('\n').filter((l) => l.startsWith('mp_heap_bytes{')).length, 1);
    assert.match(text, /^mp_in_flight 4$/m);
    assert.match(text, /^mp_highest 7$/m);
  });
});

describe('multiprocessDir that cannot be written', () => {
  it('fails at startup naming the option and the directory', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nest-prom-mp-')), 'a-file');
    writeFileSync(file, '');
    const dir = join(file, 'metrics');
    @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), defaultMetrics: false, multiprocessDir: dir })] })
    class AppModule {}
    await assert.rejects(startApp(AppModule, ADAPTERS[0]), (error: Error) => {
      assert.match(error.message, /option `multiprocessDir` \(PROMETHEUS_MULTIPROC_DIR\) is ".*a-file\/metrics", which cannot be written/);
      return true;
    });
    rmSync(dirname(file), { recursive: true, force: true });
  });
});

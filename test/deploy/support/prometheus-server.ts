import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { claimPorts } from '../../fixtures/claimed-ports.js';

export interface ScrapeTarget {
  readonly job: string;
  /** `host:port` */
  readonly address: string;
  /** Extra target labels, e.g. the `namespace` a Kubernetes scrape would add. */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface PrometheusOptions {
  readonly targets: ReadonlyArray<ScrapeTarget>;
  readonly ruleFiles?: ReadonlyArray<string>;
  /** Scrape and rule evaluation interval in seconds. */
  readonly intervalSeconds: number;
}

export interface PromResponse<T = unknown> {
  readonly status: 'success' | 'error';
  readonly data: T;
  readonly errorType?: string;
  readonly error?: string;
  readonly warnings?: string[];
}

export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value?: [number, string];
  readonly values?: Array<[number, string]>;
}

export type PromQueryData = { resultType: 'vector' | 'matrix'; result: PromSeries[] } | { resultType: 'scalar' | 'string'; result: [number, string] };

/**
 * Why a real Prometheus cannot run here, or undefined when it can. In CI (`CI=true`) a missing
 * binary is an error, never a skip (`.ci/run` installs Debian's `prometheus` package).
 */
export function prometheusMissing(): string | undefined {
  for (const tool of ['prometheus', 'promtool']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
      const message = `${tool} is not installed (apt-get install -y prometheus)`;
      if (process.env.CI === 'true') throw new Error(`CI: ${message}`);
      console.warn(`skipping: ${message}`);
      return message;
    }
  }
  return undefined;
}

/** A port for Prometheus outside the kernel's ephemeral range, claimed against concurrent spec files. */
async function freePort(): Promise<number> {
  const [port] = await claimPorts(1);
  return port!;
}

function configText(options: PrometheusOptions): string {
  const interval = `${options.intervalSeconds}s`;
  const jobs = [...new Set(options.targets.map((t) => t.job))];
  // JSON is YAML: no YAML writer needed.
  return JSON.stringify(
    {
      global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
      rule_files: options.ruleFiles ?? [],
      scrape_configs: jobs.map((job) => ({
        job_name: job,
        metrics_path: '/metrics',
        static_configs: options.targets.filter((t) => t.job === job).map((t) => ({ targets: [t.address], labels: { ...t.labels } })),
      })),
    },
    null,
    2,
  );
}

/** A real Prometheus server on a free loopback port, with its own throw-away storage. */
export class PrometheusServer {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly log: () => string,
  ) {}

  /** Writes the configuration, checks it with `promtool check config`, starts Prometheus and waits until it is ready. */
  static async start(options: PrometheusOptions): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-prom-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, configText(options));
    const check = spawnSync('promtool', ['check', 'config', config], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`promtool check config failed:\n${check.stdout}${check.stderr}`);
    let lastError: Error | undefined;
    // The port is free when picked, but another process may take it before Prometheus binds it: retry.
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freePort();
      const child = spawn(
        'prometheus',
        [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, `data-${attempt}`)}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
      const server = new PrometheusServer(`http://127.0.0.1:${port}`, child, dir, () => output);
      try {
        await server.waitReady();
        return server;
      } catch (error) {
        lastError = error as Error;
        await server.stopProcess();
      }
    }
    rmSync(dir, { recursive: true, force: true });
    throw lastError ?? new Error('prometheus did not start');
  }

  private async waitReady(): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`prometheus exited with ${this.child.exitCode}:\n${this.log()}`);
      const ready = await fetch(`${this.url}/-/ready`).then((r) => r.ok, () => false);
      if (ready) return;
      await delay(50); // polling an HTTP readiness endpoint: there is no event to wait on
    }
    throw new Error(`prometheus not ready within 30 s:\n${this.log()}`);
  }

  private async get<T>(path: string, params: Record<string, string | number | ReadonlyArray<string>>): Promise<PromResponse<T>> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, String(v));
    }
    const res = await fetch(`${this.url}${path}`, { method: 'POST', body });
    return (await res.json()) as PromResponse<T>;
  }

  /** Instant query (`/api/v1/query`), as Prometheus evaluates rules. */
  query(expr: string, time: number): Promise<PromResponse<PromQueryData>> {
    return this.get('/api/v1/query', { query: expr, time });
  }

  /** Range query (`/api/v1/query_range`), as Grafana draws a time-series panel. */
  queryRange(expr: string, start: number, end: number, step: number): Promise<PromResponse<PromQueryData>> {
    return this.get('/api/v1/query_range', { query: expr, start, end, step });
  }

  /** `/api/v1/series`: what Grafana's `label_values(metric{…}, label)` reads. */
  series(match: string, start: number, end: number): Promise<PromResponse<Array<Record<string, string>>>> {
    return this.get('/api/v1/series', { 'match[]': [match], start, end });
  }

  async rules(): Promise<Array<{ name: string; type: string; health: string; lastError?: string; query: string }>> {
    const res = await fetch(`${this.url}/api/v1/rules`);
    const body = (await res.json()) as PromResponse<{ groups: Array<{ rules: Array<{ name: string; type: string; health: string; lastError?: string; query: string }> }> }>;
    return body.data.groups.flatMap((g) => g.rules);
  }

  async alerts(): Promise<Array<{ labels: Record<string, string>; state: string }>> {
    const res = await fetch(`${this.url}/api/v1/alerts`);
    return ((await res.json()) as PromResponse<{ alerts: Array<{ labels: Record<string, string>; state: string }> }>).data.alerts;
  }

  /** Waits until every target has been scraped successfully after `time` (seconds since the epoch). */
  async waitForScrapesAfter(time: number, jobs: ReadonlyArray<string>, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const expr = `timestamp(up == 1) > ${time}`;
    while (Date.now() < deadline) {
      const res = await this.query(expr, Date.now() / 1000);
      const seen = new Set(res.status === 'success' && res.data.resultType === 'vector' ? res.data.result.map((s) => s.metric.job) : []);
      if (jobs.every((j) => seen.has(j))) return;
      await delay(100); // polling the server's own view of its scrapes
    }
    throw new Error(`not every job of ${jobs.join(', ')} was scraped after ${time} within ${timeoutMs} ms:\n${this.log()}`);
  }

  private async stopProcess(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }

  async stop(): Promise<void> {
    await this.stopProcess();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

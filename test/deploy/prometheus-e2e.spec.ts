// The end-to-end proof of deploy/: the sample runs on each adapter (and as two processes sharing
// PROMETHEUS_MULTIPROC_DIR), real traffic hits every route, a real Prometheus scrapes the sample
// every second and evaluates the shipped rules, then every PromQL expression of the dashboards and
// rules is evaluated through Prometheus's HTTP API with the dashboard variables filled the way
// Grafana fills them. No expression may error; an expression whose metric families the sample's
// scrape holds (with data) must return data, unless it is listed below as empty by design.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { startSample, type SampleProcess } from '../support/sample-process.js';
import { loadDashboards, loadRules, panelQueries, ROOT, RULES_FILE, variableQuery, type Dashboard } from './support/deploy-files.js';
import { PrometheusServer, prometheusMissing, type PromQueryData, type PromResponse, type PromSeries } from './support/prometheus-server.js';
import {
  baseMetricNames,
  conditionAsBool,
  familyOf,
  grafanaFormatValues,
  interpolate,
  parseExposition,
  parseLabelValues,
  produced,
  SPEC_FAMILIES,
  type FamilyState,
} from './support/promql.js';
import { dashboardSvg, renderPng, toPanelSeries, type PanelData } from './support/render-dashboard.js';
import { driveTraffic, type TrafficReport } from './support/traffic.js';

interface RawPanel {
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  fieldConfig?: { defaults?: { unit?: string } };
  targets?: Array<{ expr: string; legendFormat?: string }>;
}

/** Scrape and rule evaluation interval; also the Grafana data source's `timeInterval` that the variables assume. */
const INTERVAL_SECONDS = 1;
/** Long enough for several 4 s `$__rate_interval` windows and for the rules' `rate(…[5m])` to see a rise. */
const TRAFFIC_MS = 12_000;
const NAMESPACE = 'nest-e2e';

/** Expressions that return nothing on a fresh service whatever the traffic, and why. */
const EMPTY_BY_DESIGN: ReadonlyArray<{ readonly pattern: RegExp; readonly why: string }> = [
  { pattern: /\boffset 1w\b/, why: 'compares with a week ago; the service is seconds old' },
];

interface Setup {
  readonly job: string;
  readonly title: string;
  /** One entry per process; the first one is scraped (with a shared directory it serves the aggregate). */
  readonly processes: ReadonlyArray<Record<string, string>>;
  readonly shared: boolean;
}

const SETUPS: ReadonlyArray<Setup> = [
  { job: 'nest-e2e-express', title: 'Express', processes: [{ HTTP_ADAPTER: 'express' }], shared: false },
  { job: 'nest-e2e-fastify', title: 'Fastify', processes: [{ HTTP_ADAPTER: 'fastify' }], shared: false },
  {
    job: 'nest-e2e-multiprocess',
    title: 'two processes sharing PROMETHEUS_MULTIPROC_DIR (Express + Fastify), aggregate scraped from the first',
    processes: [{ HTTP_ADAPTER: 'express' }, { HTTP_ADAPTER: 'fastify' }],
    shared: true,
  },
];

const SAMPLE_VIEWS = [
  'PagesController.index', 'PagesController.help', 'PagesController.slow', 'PagesController.objection', 'PagesController.file',
  'SqlController.run', 'LawnsController.create', 'DogsController.create', 'DogsController.update', 'DogsController.remove',
  'CacheController.set', 'CacheController.get',
];

function seriesCount(res: PromResponse<PromQueryData>): number {
  const data = res.data;
  if (data.resultType === 'scalar' || data.resultType === 'string') return 1;
  return (data.result as PromSeries[]).filter((s) => (s.values?.length ?? 0) > 0 || s.value !== undefined).length;
}

const skip = prometheusMissing() ?? false;

describe('deploy/: every dashboard and rule expression against a real Prometheus scraping the sample', { skip }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'nest-prometheus-deploy-e2e-'));
  const samples = new Map<string, SampleProcess[]>();
  const scrapes = new Map<string, Map<string, FamilyState>>();
  let prometheus: PrometheusServer | undefined;
  let traffic: TrafficReport;
  let start = 0;
  let end = 0;

  before(async () => {
    await Promise.all(
      SETUPS.map(async (setup) => {
        const dir = join(scratch, setup.job);
        mkdirSync(dir);
        if (setup.shared) mkdirSync(join(dir, 'multiproc'));
        const started: SampleProcess[] = [];
        samples.set(setup.job, started);
        // each process on its own SQLite file: two writers on one file would lock each other out
        for (const [i, env] of setup.processes.entries()) {
          started.push(
            await startSample({
              ...env,
              DATABASE_URL: `sqlite:${join(dir, `db-${i}.sqlite`)}`,
              CACHE_URL: 'memory',
              PROMETHEUS_EXPORT_MIGRATIONS: 'true',
              ...(setup.shared ? { PROMETHEUS_MULTIPROC_DIR: join(dir, 'multiproc') } : {}),
            }),
          );
        }
      }),
    );
    const targets = SETUPS.map((setup) => ({ job: setup.job, address: new URL(samples.get(setup.job)![0].url).host, labels: { namespace: NAMESPACE } }));
    prometheus = await PrometheusServer.start({ targets, ruleFiles: [RULES_FILE], intervalSeconds: INTERVAL_SECONDS });
    start = Math.floor(Date.now() / 1000);
    const jobs = SETUPS.map((s) => s.job);
    await prometheus.waitForScrapesAfter(0, jobs); // a first sample of every counter before the traffic
    const urls = SETUPS.flatMap((s) => samples.get(s.job)!.map((p) => p.url));
    traffic = await driveTraffic(urls, { durationMs: TRAFFIC_MS, maxRounds: 2_000, loopsPerUrl: 1 });
    // the other process's file is at most ~1 s old: wait for scrapes that include it
    await prometheus.waitForScrapesAfter(Date.now() / 1000 + 1.5, jobs);
    end = Math.ceil(Date.now() / 1000);
    for (const setup of SETUPS) {
      const res = await fetch(`${samples.get(setup.job)![0].url}/metrics`);
      scrapes.set(setup.job, parseExposition(await res.text()));
    }
  });

  after(async () => {
    await prometheus?.stop();
    await Promise.all([...samples.values()].flat().map((s) => s.stop()));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('the traffic reached every route with the answers the sample documents', () => {
    assert.ok(traffic.rounds >= SETUPS.length * 3, `only ${traffic.rounds} rounds in ${TRAFFIC_MS} ms`);
    assert.deepEqual(traffic.unexpected, []);
  });

  it('the multi-process target reports the requests of both processes (the aggregate, not the scraped process alone)', async () => {
    for (const setup of SETUPS.filter((s) => s.shared)) {
      const [first, ...others] = samples.get(setup.job)!.map((p) => traffic.byUrl.get(p.url) ?? 0);
      const res = await prometheus!.query(`sum(nestjs_http_requests_total_by_method_total{job="${setup.job}"})`, end);
      assert.equal(res.status, 'success');
      const counted = Number((res.data.result as PromSeries[])[0]?.value?.[1]);
      assert.ok(others.every((n) => n > 0), 'every process got traffic');
      assert.ok(counted > first && counted <= first + others.reduce((a, b) => a + b, 0), `${setup.job}: ${counted} counted; sent ${first} to the scraped process and ${others.join(' + ')} to the others`);
    }
  });

  it('Prometheus evaluates every shipped rule without error', async () => {
    const rules = await prometheus!.rules();
    assert.equal(rules.length, loadRules().length, 'every rule of the file is loaded');
    const bad = rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    assert.deepEqual(bad, []);
  });

  it('every query of the README\'s "PromQL you will want" section returns data for every sample job', async () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## PromQL you will want'));
    const queries = (/```promql\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '').split('\n').filter((q) => q.trim() !== '');
    assert.ok(queries.length >= 4, 'the README has the section and its queries');
    const failures: string[] = [];
    for (const query of queries) {
      for (const setup of SETUPS) {
        // the same query restricted to one sample's job: `m[5m]` → `m{job="…"}[5m]`, `m{a="b"}[5m]` → `m{a="b",job="…"}[5m]`
        const scoped = query.replace(/\[5m\]/g, `{job="${setup.job}"}[5m]`).replace(/\}\{job=/g, ',job=');
        const res = await prometheus!.query(scoped, end);
        if (res.status !== 'success') failures.push(`${scoped} → ${res.errorType}: ${res.error}`);
        else if (seriesCount(res) === 0) failures.push(`${scoped} → no data`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('on the real data the 5xx-ratio alert is active for the failing views, and the latency and target-down alerts stay silent', async () => {
    const alerts = await prometheus!.alerts();
    for (const setup of SETUPS) {
      const errorViews = alerts.filter((a) => a.labels.alertname === 'NestjsHighErrorRatio' && a.labels.job === setup.job).map((a) => a.labels.view).sort();
      assert.deepEqual(errorViews, ['PagesController.objection', 'SqlController.run'], `${setup.job}: ${JSON.stringify(alerts)}`);
    }
    const silent = alerts.filter((a) => ['NestjsHighLatencyP95', 'NestjsTargetDown', 'NestjsUnappliedMigrations'].includes(a.labels.alertname));
    assert.deepEqual(silent, []);
  });

  const renderTo = process.env.RENDER_OVERVIEW;
  it('renders the overview of the Express job to a PNG (RENDER_OVERVIEW=<file.png>, needs chromium)', { skip: renderTo ? false : 'set RENDER_OVERVIEW=<file.png> to render docs/overview.png' }, async () => {
    const { dashboard } = loadDashboards().find((d) => d.dashboard.uid === 'nest-prometheus-overview')!;
    const formatted = await formattedVariables(dashboard, [SETUPS[0].job]);
    const panels: PanelData[] = [];
    for (const panel of dashboard.panels as unknown as RawPanel[]) {
      if (panel.type === 'row') continue;
      const series: Array<PanelData['series'][number]> = [];
      for (const t of panel.targets ?? []) {
        const res = await prometheus!.queryRange(interpolate(t.expr, formatted), start, end, INTERVAL_SECONDS);
        if (res.status === 'success') series.push(...toPanelSeries(res.data.result as PromSeries[], t.legendFormat));
      }
      panels.push({ title: panel.title, type: panel.type, unit: panel.fieldConfig?.defaults?.unit ?? 'short', gridPos: panel.gridPos, series });
    }
    const svg = dashboardSvg(dashboard, panels, `job=${SETUPS[0].job}, namespace=All, view=All · ${traffic.requests} requests over ${TRAFFIC_MS / 1000} s · scraped every ${INTERVAL_SECONDS} s by Prometheus`);
    const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg)!;
    renderPng(svg, Number(width), Number(height), resolve(renderTo!));
  });

  for (const setup of [...SETUPS.map((s) => ({ jobs: [s.job], title: s.title, scrape: s.job })), { jobs: SETUPS.map((s) => s.job), title: 'all jobs ("All")', scrape: undefined }]) {
    describe(`${setup.title}: job = ${setup.jobs.length === 1 ? setup.jobs[0] : 'All'}`, () => {
      /** Of the given metric names, those some scraped target of this selection holds no data for. */
      const missingData = (names: ReadonlyArray<string>): string[] =>
        names.filter((n) => (setup.scrape ? [setup.scrape] : setup.jobs).some((job) => !produced(n, scrapes.get(job)!)));

      it('the dashboard variables come from their label_values() queries; view lists every route of the sample', async (t: TestContext) => {
        for (const { dashboard } of loadDashboards()) {
          const values = await variableValues(dashboard, setup.jobs);
          assert.deepEqual(values.job, setup.jobs, dashboard.title);
          assert.deepEqual(values.namespace, [NAMESPACE], dashboard.title);
          if ('view' in values) for (const view of SAMPLE_VIEWS) assert.ok(values.view.includes(view), `${dashboard.title}: view ${view} missing from ${values.view.join(', ')}`);
        }
        t.diagnostic(`start ${start}, end ${end}`);
      });

      it('every dashboard query runs without error, and returns data wherever the sample produced its metrics', async (t: TestContext) => {
        const errors: string[] = [];
        const empty: string[] = [];
        const noData: string[] = [];
        let checked = 0;
        for (const { dashboard } of loadDashboards()) {
          const formatted = await formattedVariables(dashboard, setup.jobs);
          for (const q of panelQueries(dashboard)) {
            const expr = interpolate(q.expr, formatted);
            const where = `${q.dashboard} / ${q.panel} / ${q.refId}: ${expr}`;
            const res = q.instant ? await prometheus!.query(expr, end) : await prometheus!.queryRange(expr, start, end, INTERVAL_SECONDS);
            checked += 1;
            if (res.status !== 'success') {
              errors.push(`${where}\n  → ${res.errorType}: ${res.error}`);
              continue;
            }
            if (seriesCount(res) > 0) continue;
            const designed = EMPTY_BY_DESIGN.find((e) => e.pattern.test(q.expr));
            const missing = missingData(baseMetricNames(q.expr, new Map()));
            const unknown = missing.filter(isUnknownName);
            if (unknown.length > 0) errors.push(`${where}\n  → reads ${unknown.join(', ')}: neither a SPEC §4 family nor in any scrape of the sample`);
            else if (designed) noData.push(`${q.dashboard} / ${q.panel} / ${q.refId}: empty by design (${designed.why})`);
            else if (missing.length > 0) noData.push(`${q.dashboard} / ${q.panel} / ${q.refId}: no data produced for ${missing.join(', ')}`);
            else empty.push(where);
          }
        }
        for (const line of noData) t.diagnostic(line);
        t.diagnostic(`${checked} queries, ${checked - empty.length - noData.length - errors.length} with data, ${noData.length} without data by design or by absent families`);
        assert.deepEqual(errors, [], 'queries that Prometheus rejected');
        assert.deepEqual(empty, [], 'queries that returned nothing although the sample produced every family they read');
      });

      it('every rule expression (alert conditions as bool comparisons) runs without error and returns data where produced', async (t: TestContext) => {
        const rules = loadRules();
        const recordings = new Map(rules.filter((r) => r.record).map((r) => [r.record!, r.expr]));
        const jobSelector = `{job=~"${grafanaFormatValues(setup.jobs)}"}`;
        const errors: string[] = [];
        const empty: string[] = [];
        const noData: string[] = [];
        for (const rule of rules) {
          const name = rule.record ?? rule.alert!;
          for (const expr of rule.alert ? [rule.expr, conditionAsBool(rule.expr)] : [rule.expr]) {
            // keep to this selection's jobs: count(…) of the result's series that carry them
            const scoped = `(${expr}) and on (job) (count by (job) (up${jobSelector}))`;
            const res = await prometheus!.query(scoped, end);
            if (res.status !== 'success') {
              errors.push(`${name}: ${expr}\n  → ${res.errorType}: ${res.error}`);
              continue;
            }
            if (expr === rule.expr && rule.alert) continue; // the condition itself is empty unless it fires
            if (seriesCount(res) > 0) continue;
            const missing = missingData(baseMetricNames(expr, recordings));
            const unknown = missing.filter(isUnknownName);
            if (unknown.length > 0) errors.push(`${name}: reads ${unknown.join(', ')}: neither a SPEC §4 family nor in any scrape of the sample`);
            else if (missing.length > 0) noData.push(`${name}: no data produced for ${missing.join(', ')}`);
            else empty.push(`${name}: ${expr}`);
          }
        }
        for (const line of noData) t.diagnostic(line);
        assert.deepEqual(errors, []);
        assert.deepEqual(empty, []);
      });
    });
  }

  /** A name that no scrape holds and SPEC §4 does not define: a typo, never "no data produced". */
  function isUnknownName(name: string): boolean {
    if (name === 'up' || familyOf(name, SPEC_FAMILIES) !== undefined) return false;
    return ![...scrapes.values()].some((families) => familyOf(name, new Map([...families].map(([k, v]) => [k, v.type]))) !== undefined);
  }

  /** Each query variable's values, resolved in order as Grafana does (a chained variable sees the ones before it). */
  async function variableValues(dashboard: Dashboard, jobs: ReadonlyArray<string>): Promise<Record<string, string[]>> {
    const values: Record<string, string[]> = {};
    const formatted: Record<string, string> = {};
    for (const variable of dashboard.templating.list) {
      if (variable.type !== 'query') continue;
      const { selector, label } = parseLabelValues(interpolate(variableQuery(variable), formatted));
      const res = await prometheus!.series(selector, start, end);
      assert.equal(res.status, 'success', `${dashboard.title}: variable ${variable.name}: ${res.error}`);
      const all = [...new Set(res.data.map((s) => s[label]).filter((v): v is string => v !== undefined && v !== ''))].sort();
      // the job variable is set to the jobs under test; the others are left on "All"
      values[variable.name] = variable.name === 'job' ? all.filter((j) => jobs.includes(j)) : all;
      assert.ok(variable.includeAll && variable.multi && variable.allValue === undefined, `${variable.name}: "All" must expand to the values`);
      formatted[variable.name] = grafanaFormatValues(values[variable.name]);
    }
    return values;
  }

  async function formattedVariables(dashboard: Dashboard, jobs: ReadonlyArray<string>): Promise<Record<string, string>> {
    const values = await variableValues(dashboard, jobs);
    const formatted: Record<string, string> = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, grafanaFormatValues(v)]));
    // Grafana's built-ins for a panel of ~1000 px over this range, data source timeInterval = the scrape interval
    const interval = INTERVAL_SECONDS;
    formatted.__interval = `${interval}s`;
    formatted.__rate_interval = `${Math.max(interval + INTERVAL_SECONDS, 4 * INTERVAL_SECONDS)}s`;
    formatted.__range = `${end - start}s`;
    return formatted;
  }
});

// Static checks of deploy/: promtool over the rules (check + unit tests) and the scrape configs, and
// the dashboards against the generator, the SPEC §4 catalogue and the conventions every query
// follows (variables, selectors, grouping labels). The queries themselves run against a real
// Prometheus in prometheus-e2e.spec.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { DASHBOARD_DIR, DEPLOY, loadDashboards, loadRules, panelQueries, RULES_FILE, RULES_TEST_FILE, variableQuery } from './support/deploy-files.js';
import { prometheusMissing } from './support/prometheus-server.js';
import { typecheckJson } from './support/typecheck-json.js';
import { familyOf, groupingLabels, metricNames, parseLabelValues, SPEC_FAMILIES, SPEC_LABELS } from './support/promql.js';

const skipPromtool = prometheusMissing() ?? false;

function promtool(args: ReadonlyArray<string>, cwd: string): { code: number | null; output: string } {
  const res = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  return { code: res.status, output: `${res.stdout}${res.stderr}` };
}

describe('deploy/prometheus with promtool', { skip: skipPromtool }, () => {
  it('promtool check rules accepts the rules file', () => {
    const { code, output } = promtool(['check', 'rules', RULES_FILE], DEPLOY);
    assert.equal(code, 0, output);
    assert.match(output, new RegExp(`SUCCESS: ${loadRules().length} rules found`));
  });

  it('promtool test rules: every alert fires on its fixture and stays silent beside it', () => {
    const { code, output } = promtool(['test', 'rules', RULES_TEST_FILE], DEPLOY);
    assert.equal(code, 0, output);
    const tests = (parse(readFileSync(RULES_TEST_FILE, 'utf8')) as { tests: Array<{ alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }> }> }).tests;
    const cases = tests.flatMap((t) => t.alert_rule_test ?? []);
    for (const alert of loadRules().filter((r) => r.alert).map((r) => r.alert!)) {
      assert.ok(cases.some((c) => c.alertname === alert && c.exp_alerts.length > 0), `${alert} has a firing case`);
      assert.ok(cases.some((c) => c.alertname === alert && c.exp_alerts.length === 0), `${alert} has a silent case`);
    }
  });

  it('the rule unit tests fail when the rules change (thresholds raised tenfold)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-rules-'));
    try {
      mkdirSync(join(dir, 'rules'));
      mkdirSync(join(dir, 'tests'));
      // every comparison at a line's end moves out of reach: `> n` → `> 10n+10`, `< n` → `< n/10`, `== n` → `== n+2`
      const raised = readFileSync(RULES_FILE, 'utf8').replace(/ (>|<|==) (\d+(?:\.\d+)?)[ \t]*$/gm, (_m, op: string, n: string) => {
        const value = Number(n);
        return ` ${op} ${op === '>' ? value * 10 + 10 : op === '<' ? value / 10 : value + 2}`;
      });
      assert.notEqual(raised, readFileSync(RULES_FILE, 'utf8'));
      writeFileSync(join(dir, 'rules/nest-prometheus.rules.yml'), raised);
      copyFileSync(RULES_TEST_FILE, join(dir, 'tests/rules.test.yml'));
      const { code, output } = promtool(['test', 'rules', join(dir, 'tests/rules.test.yml')], dir);
      assert.notEqual(code, 0, output);
      for (const alert of loadRules().filter((r) => r.alert).map((r) => r.alert!)) assert.match(output, new RegExp(`alertname: ${alert}`), `${alert} no longer fires`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('promtool check config accepts the scrape configs', () => {
    const plain = promtool(['check', 'config', 'prometheus.yml'], join(DEPLOY, 'prometheus'));
    assert.equal(plain.code, 0, plain.output);
    // Debian's Prometheus is built without Kubernetes discovery: check everything but that block.
    const text = readFileSync(join(DEPLOY, 'prometheus/prometheus.kubernetes.yml'), 'utf8');
    const swapped = text.replace(/kubernetes_sd_configs:\n(\s+)- role: pod\n/, 'file_sd_configs:\n$1- files: [targets.json]\n');
    assert.notEqual(swapped, text, 'the kubernetes_sd_configs block is where the test expects it');
    const dir = mkdtempSync(join(tmpdir(), 'nest-prometheus-config-'));
    try {
      mkdirSync(join(dir, 'rules'));
      copyFileSync(RULES_FILE, join(dir, 'rules/nest-prometheus.rules.yml'));
      writeFileSync(join(dir, 'prometheus.kubernetes.yml'), swapped);
      const k8s = promtool(['check', 'config', 'prometheus.kubernetes.yml'], dir);
      assert.equal(k8s.code, 0, k8s.output);
      assert.match(k8s.output, /SUCCESS: 1 rule files found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/grafana dashboards', () => {
  const dashboards = loadDashboards();
  const rules = loadRules();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const defaults = Object.fromEntries(registry.getMetricsAsArray().map((m) => [m.name, String(m.type)]));
  const recordings = new Set(rules.filter((r) => r.record).map((r) => r.record!));

  it('are the generator’s output (node deploy/grafana/generate-dashboards.mjs)', async () => {
    const generator = (await import(pathToFileURL(join(DEPLOY, 'grafana/generate-dashboards.mjs')).href)) as {
      DASHBOARDS: Record<string, unknown>;
      render: (board: unknown) => string;
    };
    assert.deepEqual(dashboards.map((d) => d.file), Object.keys(generator.DASHBOARDS).sort());
    for (const [file, board] of Object.entries(generator.DASHBOARDS)) {
      assert.equal(readFileSync(join(DASHBOARD_DIR, file), 'utf8'), generator.render(board), `${file} is out of date: run the generator`);
    }
  });

  it('conform to Grafana’s dashboard schema (@grafana/schema types: wrong types and unknown fields fail)', () => {
    const ok = typecheckJson(dashboards.map(({ dashboard }) => ({ module: '@grafana/schema', typeName: 'Dashboard', value: dashboard })));
    assert.equal(ok.code, 0, ok.output);
    const broken = structuredClone(dashboards[0].dashboard) as unknown as { panels: Array<Record<string, unknown>> };
    broken.panels[1].gridPoss = broken.panels[1].gridPos;
    const bad = typecheckJson([{ module: '@grafana/schema', typeName: 'Dashboard', value: broken }]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.output, /gridPoss/);
  });

  it('have unique uids, and job/namespace (overview: view too) variables from chained label_values() with "All"', () => {
    assert.equal(new Set(dashboards.map((d) => d.dashboard.uid)).size, dashboards.length);
    for (const { dashboard } of dashboards) {
      const vars = dashboard.templating.list;
      const names = vars.map((v) => v.name);
      assert.deepEqual(names.slice(0, 3), ['datasource', 'job', 'namespace'], dashboard.title);
      if (dashboard.uid.endsWith('overview')) assert.ok(names.includes('view'));
      for (const v of vars.filter((x) => x.type === 'query')) {
        const { selector } = parseLabelValues(variableQuery(v));
        assert.ok(v.includeAll && v.multi && v.allValue === undefined, `${dashboard.title} ${v.name}`);
        const before = names.slice(1, names.indexOf(v.name));
        for (const earlier of before) assert.ok(selector.includes(`${earlier}=~"$${earlier}"`), `${v.name} is chained to ${earlier}`);
      }
    }
  });

  it('read only SPEC §4 families (with the histogram suffixes) and prom-client’s default metrics', () => {
    for (const { dashboard } of dashboards) {
      for (const q of panelQueries(dashboard)) {
        for (const name of metricNames(q.expr)) {
          const known = name === 'up' || familyOf(name, SPEC_FAMILIES) !== undefined || familyOf(name, defaults) !== undefined;
          assert.ok(known, `${q.dashboard} / ${q.panel}: ${name}`);
        }
      }
    }
    for (const rule of rules) {
      for (const name of metricNames(rule.expr)) {
        const known = name === 'up' || recordings.has(name) || familyOf(name, SPEC_FAMILIES) !== undefined;
        assert.ok(known, `${rule.record ?? rule.alert}: ${name}`);
      }
    }
  });

  it('select every series by $job and $namespace (and $view where the family has a view label)', () => {
    for (const { dashboard } of dashboards) {
      const hasView = dashboard.templating.list.some((v) => v.name === 'view');
      for (const q of panelQueries(dashboard)) {
        const selectors = [...q.expr.matchAll(/\b([a-z_:][a-z0-9_:]*)\{([^}]*)\}/g)];
        for (const [, name, matchers] of selectors) {
          assert.match(matchers, /job=~"\$job"/, `${q.panel}: ${name}`);
          assert.match(matchers, /namespace=~"\$namespace"/, `${q.panel}: ${name}`);
          const family = familyOf(name, SPEC_FAMILIES);
          if (hasView && family && SPEC_LABELS[family]?.includes('view') && name !== 'nestjs_http_exceptions_total_by_type_total') {
            assert.match(matchers, /view=~"\$view"/, `${q.panel}: ${name}`);
          }
        }
        // every metric name in the query has a selector
        for (const name of metricNames(q.expr)) assert.ok(selectors.some((s) => s[1] === name), `${q.panel}: ${name} without {job, namespace}`);
      }
    }
  });

  it('group only by labels the families they read carry (SPEC §4, target labels, le)', () => {
    const TARGET_LABELS = ['job', 'namespace', 'instance', 'le', 'class'];
    const check = (where: string, expr: string, names: ReadonlyArray<string>) => {
      const allowed = new Set([...TARGET_LABELS, ...names.flatMap((n) => SPEC_LABELS[familyOf(n, SPEC_FAMILIES) ?? ''] ?? [])]);
      for (const label of groupingLabels(expr)) assert.ok(allowed.has(label), `${where}: ${label} is not a label of ${names.join(', ')}`);
    };
    for (const { dashboard } of dashboards) for (const q of panelQueries(dashboard)) check(`${q.dashboard} / ${q.panel}`, q.expr, metricNames(q.expr));
    const definitions = new Map(rules.filter((r) => r.record).map((r) => [r.record!, r.expr]));
    for (const rule of rules) {
      const names = metricNames(rule.expr).flatMap((n) => (definitions.has(n) ? metricNames(definitions.get(n)!) : [n]));
      check(rule.record ?? rule.alert!, rule.expr, names);
    }
  });
});

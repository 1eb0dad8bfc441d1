import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The checkout's root (tests run from build/test/deploy/support). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DEPLOY = join(ROOT, 'deploy');
export const DASHBOARD_DIR = join(DEPLOY, 'grafana/dashboards');
export const RULES_FILE = join(DEPLOY, 'prometheus/rules/nest-prometheus.rules.yml');
export const RULES_TEST_FILE = join(DEPLOY, 'prometheus/tests/nest-prometheus.rules.test.yml');
export const KUBERNETES_DIR = join(DEPLOY, 'kubernetes');

export interface DashboardVariable {
  readonly name: string;
  readonly type: string;
  readonly definition?: string;
  readonly query?: string | { query: string };
  readonly includeAll?: boolean;
  readonly multi?: boolean;
  readonly allValue?: string;
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly templating: { list: DashboardVariable[] };
  readonly panels: Array<{ type: string; title: string; targets?: Array<{ refId: string; expr: string; instant?: boolean }> }>;
}

/** One query of one panel. */
export interface PanelQuery {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
  readonly instant: boolean;
}

export function loadDashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard }));
}

export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((t) => ({ dashboard: dashboard.title, panel: panel.title, refId: t.refId, expr: t.expr, instant: t.instant === true })),
  );
}

/** The PromQL of a query variable (`label_values(…)`). */
export function variableQuery(variable: DashboardVariable): string {
  if (typeof variable.query === 'object' && variable.query !== null) return variable.query.query;
  return variable.query ?? variable.definition ?? '';
}

export interface Rule {
  readonly group: string;
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
}

export function loadRules(): Rule[] {
  const doc = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }> };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ group: g.name, ...r, expr: String(r.expr).trim() })));
}

/** The Kubernetes documents of deploy/kubernetes, with the file each came from. */
export function loadManifests(): Array<{ file: string; doc: Record<string, unknown> }> {
  return readdirSync(KUBERNETES_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .flatMap((file) =>
      readFileSync(join(KUBERNETES_DIR, file), 'utf8')
        .split(/^---\s*$/m)
        .map((text) => parse(text) as Record<string, unknown> | null)
        .filter((doc): doc is Record<string, unknown> => doc !== null && typeof doc === 'object')
        .map((doc) => ({ file, doc })),
    );
}

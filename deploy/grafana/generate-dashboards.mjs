// Writes the Grafana dashboards of deploy/grafana/dashboards/ from the definitions below:
//   node deploy/grafana/generate-dashboards.mjs
// The JSON files are committed (Grafana provisions them as they are); test/deploy checks that they
// match this script and evaluates every query against a real Prometheus scraping the sample.
// Metric names assume no metric namespace (PROMETHEUS_METRIC_NAMESPACE unset): see docs/dashboards.md.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
/** Every selector keeps to the chosen jobs and Kubernetes namespaces. */
const SEL = 'job=~"$job", namespace=~"$namespace"';
/** HTTP series that carry a `view` label also keep to the chosen views. */
const VSEL = `${SEL}, view=~"$view"`;
const RI = '$__rate_interval';

function queryVariable(name, definition, description) {
  return {
    name,
    label: name,
    description,
    type: 'query',
    datasource: DATASOURCE,
    query: definition,
    refresh: 2,
    includeAll: true,
    multi: true,
    sort: 1,
    regex: '',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    hide: 0,
  };
}

const VARIABLES = {
  datasource: { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0, refresh: 1, regex: '', options: [] },
  job: queryVariable('job', 'label_values(nestjs_http_requests_before_middlewares_total, job)', 'Scrape jobs that expose nest-prometheus metrics'),
  namespace: queryVariable(
    'namespace',
    'label_values(nestjs_http_requests_before_middlewares_total{job=~"$job"}, namespace)',
    'Kubernetes namespace (the `namespace` target label; empty outside Kubernetes)',
  ),
  view: queryVariable(
    'view',
    `label_values(nestjs_http_requests_total_by_view_transport_method_total{${SEL}}, view)`,
    'Controller.handler (or route template with viewLabel: route)',
  ),
};

const target = (expr, legendFormat = '__auto', extra = {}) => ({ expr, legendFormat, ...extra });

/** A dashboard from rows of panels; grid positions and ids are assigned in order. */
function dashboard({ uid, title, description, variables, rows }) {
  const panels = [];
  let id = 1;
  let y = 0;
  for (const row of rows) {
    panels.push({ type: 'row', title: row.title, id: id++, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.w ?? 12;
      const h = p.h ?? (p.type === 'stat' ? 4 : 8);
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      panels.push({
        type: p.type ?? 'timeseries',
        title: p.title,
        description: p.description ?? '',
        id: id++,
        datasource: DATASOURCE,
        gridPos: { h, w, x, y },
        fieldConfig: {
          defaults: {
            unit: p.unit ?? 'short',
            ...(p.type === 'stat' || p.type === 'bargauge' ? {} : { custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false } }),
            ...(p.max !== undefined ? { max: p.max, min: 0 } : {}),
          },
          overrides: [],
        },
        options:
          p.type === 'stat'
            ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto' }
            : p.type === 'bargauge'
              ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, orientation: 'horizontal', displayMode: 'basic', showUnfilled: true }
              : { legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
        targets: p.targets.map((t, i) => ({ datasource: DATASOURCE, refId: String.fromCharCode(65 + i), range: true, editorMode: 'code', ...t })),
      });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    uid,
    title,
    description,
    tags: ['nest-prometheus', 'nestjs'],
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    refresh: '30s',
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    annotations: { list: [] },
    links: [
      { type: 'dashboards', tags: ['nest-prometheus'], asDropdown: true, title: 'nest-prometheus', includeVars: true, keepTime: true, icon: 'external link', targetBlank: false, tooltip: '', url: '' },
    ],
    templating: { list: variables.map((name) => VARIABLES[name]) },
    panels,
  };
}

const quantiles = (by, bucket, sel) =>
  [0.5, 0.95, 0.99].map((q) =>
    target(`histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${bucket}{${sel}}[${RI}])))`, `p${q * 100}${by.map((l) => ` {{${l}}}`).join('')}`),
  );

const overview = dashboard({
  uid: 'nest-prometheus-overview',
  title: 'nest-prometheus / Overview',
  description: 'HTTP traffic, errors and latency by view, response shapes and the Node.js process of services instrumented with nest-prometheus.',
  variables: ['datasource', 'job', 'namespace', 'view'],
  rows: [
    {
      title: 'At a glance (all views of the chosen jobs)',
      panels: [
        { type: 'stat', w: 6, title: 'Requests / s', unit: 'reqps', targets: [target(`sum(rate(nestjs_http_requests_before_middlewares_total{${SEL}}[${RI}]))`, 'requests')] },
        {
          type: 'stat', w: 6, title: '5xx ratio', unit: 'percentunit',
          targets: [target(`sum(rate(nestjs_http_responses_total_by_status_total{${SEL}, status=~"5.."}[${RI}])) / sum(rate(nestjs_http_responses_total_by_status_total{${SEL}}[${RI}]))`, '5xx')],
        },
        { type: 'stat', w: 6, title: 'p95 latency (whole stack)', unit: 's', targets: [target(`histogram_quantile(0.95, sum by (le) (rate(nestjs_http_requests_latency_including_middlewares_seconds_bucket{${SEL}}[${RI}])))`, 'p95')] },
        { type: 'stat', w: 6, title: 'Targets up', unit: 'short', targets: [target(`sum(up{${SEL}})`, 'up')] },
      ],
    },
    {
      title: 'Requests, errors, duration by view',
      panels: [
        { title: 'Requests / s by view', unit: 'reqps', targets: [target(`sum by (view) (rate(nestjs_http_requests_total_by_view_transport_method_total{${VSEL}}[${RI}]))`, '{{view}}')] },
        {
          title: '5xx ratio by view', unit: 'percentunit', max: 1,
          targets: [target(`sum by (view) (rate(nestjs_http_responses_total_by_status_view_method_total{${VSEL}, status=~"5.."}[${RI}])) / sum by (view) (rate(nestjs_http_responses_total_by_status_view_method_total{${VSEL}}[${RI}]))`, '{{view}}')],
        },
        { title: 'Latency quantiles by view', unit: 's', description: 'From the handler-side histogram (SPEC §4.2), per view.', targets: quantiles(['view'], 'nestjs_http_requests_latency_seconds_by_view_method_bucket', VSEL) },
        {
          title: 'Average latency by view and method', unit: 's',
          targets: [target(`sum by (view, method) (rate(nestjs_http_requests_latency_seconds_by_view_method_sum{${VSEL}}[${RI}])) / sum by (view, method) (rate(nestjs_http_requests_latency_seconds_by_view_method_count{${VSEL}}[${RI}]))`, '{{method}} {{view}}')],
        },
        { title: 'Latency quantiles including middlewares', unit: 's', description: 'Whole stack, first in and last out (SPEC §4.1).', targets: quantiles([], 'nestjs_http_requests_latency_including_middlewares_seconds_bucket', SEL) },
        {
          title: 'Total requests / s, and the same time last week', unit: 'reqps',
          description: 'The second query is empty until the service has a week of history.',
          targets: [
            target(`sum(rate(nestjs_http_requests_before_middlewares_total{${SEL}}[${RI}]))`, 'now'),
            target(`sum(rate(nestjs_http_requests_before_middlewares_total{${SEL}}[${RI}] offset 1w))`, 'a week ago'),
          ],
        },
      ],
    },
    {
      title: 'Responses and exceptions',
      panels: [
        {
          title: 'Responses / s by status class', unit: 'reqps',
          targets: [target(`sum by (class) (label_replace(rate(nestjs_http_responses_total_by_status_view_method_total{${VSEL}}[${RI}]), "class", "\${1}xx", "status", "(.).."))`, '{{class}}')],
        },
        { title: 'Responses / s by status and view', unit: 'reqps', targets: [target(`sum by (status, view) (rate(nestjs_http_responses_total_by_status_view_method_total{${VSEL}}[${RI}]))`, '{{status}} {{view}}')] },
        { title: 'Exceptions / s by type', unit: 'short', targets: [target(`sum by (type) (rate(nestjs_http_exceptions_total_by_type_total{${SEL}}[${RI}]))`, '{{type}}')] },
        { title: 'Exceptions / s by view', unit: 'short', targets: [target(`sum by (view) (rate(nestjs_http_exceptions_total_by_view_total{${VSEL}}[${RI}]))`, '{{view}}')] },
      ],
    },
    {
      title: 'Request and response shape',
      panels: [
        {
          title: 'Request body size', unit: 'bytes',
          targets: [
            ...quantiles([], 'nestjs_http_requests_body_total_bytes_bucket', SEL).slice(0, 2),
            target(`sum(rate(nestjs_http_requests_body_total_bytes_sum{${SEL}}[${RI}])) / sum(rate(nestjs_http_requests_body_total_bytes_count{${SEL}}[${RI}]))`, 'average'),
          ],
        },
        {
          title: 'Response body size (non-streaming)', unit: 'bytes',
          targets: [
            ...quantiles([], 'nestjs_http_responses_body_total_bytes_bucket', SEL).slice(0, 2),
            target(`sum(rate(nestjs_http_responses_body_total_bytes_sum{${SEL}}[${RI}])) / sum(rate(nestjs_http_responses_body_total_bytes_count{${SEL}}[${RI}]))`, 'average'),
          ],
        },
        { w: 8, title: 'Requests / s by method', unit: 'reqps', targets: [target(`sum by (method) (rate(nestjs_http_requests_total_by_method_total{${SEL}}[${RI}]))`, '{{method}}')] },
        { w: 8, title: 'Requests / s by transport', unit: 'reqps', targets: [target(`sum by (transport) (rate(nestjs_http_requests_total_by_transport_total{${SEL}}[${RI}]))`, '{{transport}}')] },
        {
          w: 8, title: 'AJAX, streamed and unmeasured', unit: 'reqps',
          targets: [
            target(`sum(rate(nestjs_http_ajax_requests_total{${SEL}}[${RI}]))`, 'AJAX requests'),
            target(`sum(rate(nestjs_http_responses_streaming_total{${SEL}}[${RI}]))`, 'streamed responses'),
            target(`sum(rate(nestjs_http_requests_unknown_latency_total{${SEL}}[${RI}])) + sum(rate(nestjs_http_requests_unknown_latency_including_middlewares_total{${SEL}}[${RI}]))`, 'latency unknown'),
          ],
        },
        { title: 'Rendered templates / s', unit: 'reqps', targets: [target(`sum by (templatename) (rate(nestjs_http_responses_total_by_templatename_total{${SEL}}[${RI}]))`, '{{templatename}}')] },
        { title: 'Responses / s by charset', unit: 'reqps', targets: [target(`sum by (charset) (rate(nestjs_http_responses_total_by_charset_total{${SEL}}[${RI}]))`, '{{charset}}')] },
      ],
    },
    {
      title: 'Process (prom-client default metrics)',
      panels: [
        { w: 8, title: 'CPU seconds / s', unit: 'percentunit', targets: [target(`sum by (instance) (rate(process_cpu_seconds_total{${SEL}}[${RI}]))`, '{{instance}}')] },
        {
          w: 8, title: 'Memory', unit: 'bytes', description: 'Summed over the processes of a target (multi-process gauges carry a pid label).',
          targets: [target(`sum by (instance) (process_resident_memory_bytes{${SEL}})`, 'resident {{instance}}'), target(`sum by (instance) (nodejs_heap_size_used_bytes{${SEL}})`, 'heap used {{instance}}')],
        },
        { w: 8, title: 'Event loop lag p99', unit: 's', targets: [target(`max by (instance) (nodejs_eventloop_lag_p99_seconds{${SEL}})`, '{{instance}}')] },
        { w: 8, title: 'Open file descriptors', unit: 'short', targets: [target(`sum by (instance) (process_open_fds{${SEL}})`, '{{instance}}')] },
        { w: 8, title: 'Active handles', unit: 'short', targets: [target(`sum by (instance) (nodejs_active_handles{${SEL}})`, '{{instance}}')] },
        { w: 8, title: 'Uptime', unit: 's', targets: [target(`time() - min by (instance) (process_start_time_seconds{${SEL}})`, '{{instance}}')] },
      ],
    },
  ],
});

const database = dashboard({
  uid: 'nest-prometheus-database',
  title: 'nest-prometheus / Database',
  description: 'Statements, query time, errors and connections of the database connections (DataSources) of services instrumented with nest-prometheus.',
  variables: ['datasource', 'job', 'namespace'],
  rows: [
    {
      title: 'Statements',
      panels: [
        { title: 'Statements / s by connection', unit: 'ops', targets: [target(`sum by (alias, vendor) (rate(nestjs_db_execute_total{${SEL}}[${RI}]))`, '{{alias}} ({{vendor}})')] },
        { title: 'Rows / s through bulk operations', unit: 'ops', targets: [target(`sum by (alias, vendor) (rate(nestjs_db_execute_many_total{${SEL}}[${RI}]))`, '{{alias}} ({{vendor}})')] },
        { title: 'Query time quantiles by connection', unit: 's', targets: quantiles(['alias'], 'nestjs_db_query_duration_seconds_bucket', SEL) },
        {
          title: 'Average query time by connection', unit: 's',
          targets: [target(`sum by (alias, vendor) (rate(nestjs_db_query_duration_seconds_sum{${SEL}}[${RI}])) / sum by (alias, vendor) (rate(nestjs_db_query_duration_seconds_count{${SEL}}[${RI}]))`, '{{alias}} ({{vendor}})')],
        },
      ],
    },
    {
      title: 'Errors',
      panels: [
        { title: 'Errors / s by type', unit: 'ops', targets: [target(`sum by (alias, vendor, type) (rate(nestjs_db_errors_total{${SEL}}[${RI}]))`, '{{type}} on {{alias}}')] },
        {
          title: 'Failed statements ratio by connection', unit: 'percentunit', max: 1,
          targets: [target(`sum by (alias, vendor) (rate(nestjs_db_errors_total{${SEL}}[${RI}])) / sum by (alias, vendor) (rate(nestjs_db_execute_total{${SEL}}[${RI}]))`, '{{alias}} ({{vendor}})')],
        },
      ],
    },
    {
      title: 'Connections',
      panels: [
        { w: 8, title: 'New connections / s by vendor and alias', unit: 'ops', targets: [target(`sum by (vendor, alias) (rate(nestjs_db_new_connections_total{${SEL}}[${RI}]))`, '{{vendor}} {{alias}}')] },
        { w: 8, title: 'Failed connection attempts / s', unit: 'ops', targets: [target(`sum by (vendor, alias) (rate(nestjs_db_new_connection_errors_total{${SEL}}[${RI}]))`, '{{vendor}} {{alias}}')] },
        { type: 'stat', w: 8, h: 8, title: 'Connections opened (all time, per target)', unit: 'short', targets: [target(`sum by (vendor, alias) (nestjs_db_new_connections_total{${SEL}})`, '{{vendor}} {{alias}}')] },
      ],
    },
  ],
});

const cache = dashboard({
  uid: 'nest-prometheus-cache',
  title: 'nest-prometheus / Cache',
  description: 'Cache gets, hits, misses and failures by backend of services instrumented with nest-prometheus.',
  variables: ['datasource', 'job', 'namespace'],
  rows: [
    {
      title: 'Cache',
      panels: [
        {
          title: 'Hit ratio by backend', unit: 'percentunit', max: 1,
          targets: [target(`sum by (backend) (rate(nestjs_cache_get_hits_total{${SEL}}[${RI}])) / sum by (backend) (rate(nestjs_cache_get_total{${SEL}}[${RI}]))`, '{{backend}}')],
        },
        {
          title: 'Gets / s by backend and outcome', unit: 'ops',
          targets: [
            target(`sum by (backend) (rate(nestjs_cache_get_hits_total{${SEL}}[${RI}]))`, 'hits {{backend}}'),
            target(`sum by (backend) (rate(nestjs_cache_get_misses_total{${SEL}}[${RI}]))`, 'misses {{backend}}'),
            target(`sum by (backend) (rate(nestjs_cache_get_fail_total{${SEL}}[${RI}]))`, 'failures {{backend}}'),
          ],
        },
        {
          title: 'Failed gets ratio by backend', unit: 'percentunit', max: 1,
          targets: [target(`sum by (backend) (rate(nestjs_cache_get_fail_total{${SEL}}[${RI}])) / sum by (backend) (rate(nestjs_cache_get_total{${SEL}}[${RI}]))`, '{{backend}}')],
        },
        { title: 'Gets / s by backend', unit: 'ops', targets: [target(`sum by (backend) (rate(nestjs_cache_get_total{${SEL}}[${RI}]))`, '{{backend}}')] },
      ],
    },
  ],
});

const migrationsAndModels = dashboard({
  uid: 'nest-prometheus-migrations-models',
  title: 'nest-prometheus / Migrations and models',
  description: 'Migration state by connection and writes to monitored models (entities) of services instrumented with nest-prometheus.',
  variables: ['datasource', 'job', 'namespace'],
  rows: [
    {
      title: 'Migrations (exportMigrations on)',
      panels: [
        {
          type: 'stat', title: 'Unapplied migrations by connection', unit: 'short',
          description: 'Gauges are per process in multi-process mode: max over the processes of a job.',
          targets: [target(`max by (job, connection) (nestjs_migrations_unapplied_total{${SEL}})`, '{{job}} {{connection}}')],
        },
        { type: 'stat', title: 'Applied migrations by connection', unit: 'short', targets: [target(`max by (job, connection) (nestjs_migrations_applied_total{${SEL}})`, '{{job}} {{connection}}')] },
      ],
    },
    {
      title: 'Models',
      panels: [
        { w: 8, title: 'Inserts / s by model', unit: 'ops', targets: [target(`sum by (model) (rate(nestjs_model_inserts_total{${SEL}}[${RI}]))`, '{{model}}')] },
        { w: 8, title: 'Updates / s by model', unit: 'ops', targets: [target(`sum by (model) (rate(nestjs_model_updates_total{${SEL}}[${RI}]))`, '{{model}}')] },
        { w: 8, title: 'Deletes / s by model', unit: 'ops', targets: [target(`sum by (model) (rate(nestjs_model_deletes_total{${SEL}}[${RI}]))`, '{{model}}')] },
        {
          w: 24, title: 'Writes in the dashboard range by model', unit: 'short',
          targets: [
            target(`sum by (model) (increase(nestjs_model_inserts_total{${SEL}}[$__range]))`, 'inserts {{model}}'),
            target(`sum by (model) (increase(nestjs_model_updates_total{${SEL}}[$__range]))`, 'updates {{model}}'),
            target(`sum by (model) (increase(nestjs_model_deletes_total{${SEL}}[$__range]))`, 'deletes {{model}}'),
          ].map((t) => ({ ...t, instant: true, range: false })),
          type: 'bargauge',
        },
      ],
    },
  ],
});

/** The dashboards by file name. */
export const DASHBOARDS = {
  'nest-prometheus-overview.json': overview,
  'nest-prometheus-database.json': database,
  'nest-prometheus-cache.json': cache,
  'nest-prometheus-migrations-models.json': migrationsAndModels,
};

/** The text each file holds. */
export const render = (board) => `${JSON.stringify(board, null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'dashboards');
  for (const [file, board] of Object.entries(DASHBOARDS)) writeFileSync(join(dir, file), render(board));
  console.log(`wrote ${Object.keys(DASHBOARDS).length} dashboards to ${dir}`);
}

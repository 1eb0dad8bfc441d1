/** Small PromQL helpers for checking the shipped dashboards and rules: no parser, just what these need. */

/** SPEC §4 (names without namespace) and their types. */
export const SPEC_FAMILIES: Readonly<Record<string, 'counter' | 'histogram' | 'gauge'>> = {
  nestjs_http_requests_before_middlewares_total: 'counter',
  nestjs_http_responses_before_middlewares_total: 'counter',
  nestjs_http_requests_latency_including_middlewares_seconds: 'histogram',
  nestjs_http_requests_unknown_latency_including_middlewares_total: 'counter',
  nestjs_http_requests_latency_seconds_by_view_method: 'histogram',
  nestjs_http_requests_unknown_latency_total: 'counter',
  nestjs_http_ajax_requests_total: 'counter',
  nestjs_http_requests_total_by_method_total: 'counter',
  nestjs_http_requests_total_by_transport_total: 'counter',
  nestjs_http_requests_total_by_view_transport_method_total: 'counter',
  nestjs_http_requests_body_total_bytes: 'histogram',
  nestjs_http_responses_total_by_templatename_total: 'counter',
  nestjs_http_responses_total_by_status_total: 'counter',
  nestjs_http_responses_total_by_status_view_method_total: 'counter',
  nestjs_http_responses_body_total_bytes: 'histogram',
  nestjs_http_responses_total_by_charset_total: 'counter',
  nestjs_http_responses_streaming_total: 'counter',
  nestjs_http_exceptions_total_by_type_total: 'counter',
  nestjs_http_exceptions_total_by_view_total: 'counter',
  nestjs_db_new_connections_total: 'counter',
  nestjs_db_new_connection_errors_total: 'counter',
  nestjs_db_execute_total: 'counter',
  nestjs_db_execute_many_total: 'counter',
  nestjs_db_errors_total: 'counter',
  nestjs_db_query_duration_seconds: 'histogram',
  nestjs_cache_get_total: 'counter',
  nestjs_cache_get_hits_total: 'counter',
  nestjs_cache_get_misses_total: 'counter',
  nestjs_cache_get_fail_total: 'counter',
  nestjs_migrations_applied_total: 'gauge',
  nestjs_migrations_unapplied_total: 'gauge',
  nestjs_model_inserts_total: 'counter',
  nestjs_model_updates_total: 'counter',
  nestjs_model_deletes_total: 'counter',
};

/** SPEC §4 labels of each family (`le` aside), for checking that queries group by labels that exist. */
export const SPEC_LABELS: Readonly<Record<string, ReadonlyArray<string>>> = {
  nestjs_http_requests_latency_seconds_by_view_method: ['view', 'method'],
  nestjs_http_requests_total_by_method_total: ['method'],
  nestjs_http_requests_total_by_transport_total: ['transport'],
  nestjs_http_requests_total_by_view_transport_method_total: ['view', 'transport', 'method'],
  nestjs_http_responses_total_by_templatename_total: ['templatename'],
  nestjs_http_responses_total_by_status_total: ['status'],
  nestjs_http_responses_total_by_status_view_method_total: ['status', 'view', 'method'],
  nestjs_http_responses_total_by_charset_total: ['charset'],
  nestjs_http_exceptions_total_by_type_total: ['type'],
  nestjs_http_exceptions_total_by_view_total: ['view'],
  nestjs_db_new_connections_total: ['alias', 'vendor'],
  nestjs_db_new_connection_errors_total: ['alias', 'vendor'],
  nestjs_db_execute_total: ['alias', 'vendor'],
  nestjs_db_execute_many_total: ['alias', 'vendor'],
  nestjs_db_errors_total: ['alias', 'vendor', 'type'],
  nestjs_db_query_duration_seconds: ['alias', 'vendor'],
  nestjs_cache_get_total: ['backend'],
  nestjs_cache_get_hits_total: ['backend'],
  nestjs_cache_get_misses_total: ['backend'],
  nestjs_cache_get_fail_total: ['backend'],
  nestjs_migrations_applied_total: ['connection'],
  nestjs_migrations_unapplied_total: ['connection'],
  nestjs_model_inserts_total: ['model'],
  nestjs_model_updates_total: ['model'],
  nestjs_model_deletes_total: ['model'],
};

const SUFFIXES = ['_bucket', '_count', '_sum'];

/** Drops quoted strings (label values, regexes) so that only names and syntax remain. */
function withoutStrings(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/**
 * The metric names an expression reads: nest-prometheus's and prom-client's (`nestjs_`, `process_`,
 * `nodejs_`), recording rules (names with a colon) and `up`.
 */
export function metricNames(expr: string): string[] {
  const found = withoutStrings(expr).match(/\b(?:(?:nestjs|process|nodejs)_[A-Za-z0-9_]+|[a-z_]+:[A-Za-z0-9_:]+|up)\b/g) ?? [];
  return [...new Set(found)];
}

/** The family a sample name belongs to (`x_bucket` → `x` for a histogram), given the known family types. */
export function familyOf(name: string, types: ReadonlyMap<string, string> | Readonly<Record<string, string>>): string | undefined {
  const has = (n: string) => (types instanceof Map ? types.has(n) : Object.hasOwn(types, n));
  const typeOf = (n: string) => (types instanceof Map ? types.get(n) : (types as Record<string, string>)[n]);
  if (has(name)) return name;
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const base = name.slice(0, -suffix.length);
    if (has(base) && ['histogram', 'summary'].includes(String(typeOf(base)))) return base;
  }
  return undefined;
}

/**
 * The base metric names an expression depends on, recording rules replaced by the expressions that
 * define them.
 */
export function baseMetricNames(expr: string, recordings: ReadonlyMap<string, string>, seen = new Set<string>()): string[] {
  const out = new Set<string>();
  for (const name of metricNames(expr)) {
    const definition = recordings.get(name);
    if (definition === undefined) {
      out.add(name);
    } else if (!seen.has(name)) {
      seen.add(name);
      for (const inner of baseMetricNames(definition, recordings, seen)) out.add(inner);
    }
  }
  return [...out];
}

/** The label names an expression aggregates or matches by (`by (…)`, `on (…)`, `without`/`ignoring` aside). */
export function groupingLabels(expr: string): string[] {
  const labels = new Set<string>();
  for (const match of withoutStrings(expr).matchAll(/\b(?:by|on)\s*\(([^)]*)\)/g)) {
    for (const label of match[1].split(',').map((l) => l.trim()).filter(Boolean)) labels.add(label);
  }
  return [...labels];
}

/**
 * An alert's condition with every comparison against a number turned into a `bool` comparison: the
 * result then has a series wherever the condition could be evaluated, firing or not.
 */
export function conditionAsBool(expr: string): string {
  return expr.replace(/(==|!=|>=|<=|>|<)\s*(?=[-+]?(?:\d|\.\d))/g, '$1 bool ');
}

/** Grafana's regex escaping of a multi-value or All variable's values inside a PromQL string (Prometheus data source). */
export function grafanaRegexEscape(value: string): string {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]+?.()|]/g, '\\\\$&');
}

/** How Grafana's Prometheus data source writes a multi-value / include-All variable: one escaped value, or an alternation. */
export function grafanaFormatValues(values: ReadonlyArray<string>): string {
  const escaped = values.map(grafanaRegexEscape);
  return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
}

/**
 * Replaces `$name`, `${name}` and `[[name]]` for the given variables (already formatted); unknown
 * names (such as `${1}` in a label_replace) stay as they are, as in Grafana.
 */
export function interpolate(expr: string, formatted: Readonly<Record<string, string>>): string {
  return expr.replace(/\$(\w+)|\[\[(\w+?)(?::\w+)?\]\]|\$\{(\w+)(?::[^}]+)?\}/g, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    return Object.hasOwn(formatted, name) ? formatted[name] : whole;
  });
}

/** `label_values(metric{…}, label)` → its selector and label. */
export function parseLabelValues(query: string): { selector: string; label: string } {
  const match = /^\s*label_values\(\s*(.+)\s*,\s*(\w+)\s*\)\s*$/s.exec(query);
  if (!match) throw new Error(`not a label_values(metric, label) query: ${query}`);
  return { selector: match[1].trim(), label: match[2] };
}

/** A scraped exposition, by family: its type, whether it has samples and whether any is non-zero. */
export interface FamilyState {
  readonly type: string;
  samples: number;
  nonZero: boolean;
}

export function parseExposition(text: string): Map<string, FamilyState> {
  const families = new Map<string, FamilyState>();
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      families.set(type[1], { type: type[2], samples: 0, nonZero: false });
      types.set(type[1], type[2]);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{.*\})?\s+(\S+)/.exec(line);
    if (!sample) continue;
    const family = familyOf(sample[1], types);
    const state = family === undefined ? undefined : families.get(family);
    if (!state) continue;
    state.samples += 1;
    if (Number(sample[2]) !== 0) state.nonZero = true;
  }
  return families;
}

/**
 * Whether the scrape holds data for a family: a counter or histogram with a non-zero sample, a gauge
 * with any sample. `up` is Prometheus's own.
 */
export function produced(name: string, families: ReadonlyMap<string, FamilyState>): boolean {
  if (name === 'up') return true;
  const family = familyOf(name, new Map([...families].map(([k, v]) => [k, v.type])));
  const state = family === undefined ? undefined : families.get(family);
  if (!state || state.samples === 0) return false;
  return state.type === 'gauge' ? true : state.nonZero;
}

import { BucketCounts } from './bucket-counts.js';
import type { HttpMetricsStore } from './http-metrics.store.js';
import type { LabelCounts } from './label-counts.js';
import type { HttpMetricFamily, SampleValue } from './store-backed.metric.js';
import type { ViewSeries } from './view-series.js';

type Labels = Record<string, string>;

function single(value: number): SampleValue[] {
  return [{ value, labels: {} }];
}

function byLabel(counts: LabelCounts, label: string): SampleValue[] {
  return counts.entries().map(([key, value]) => ({ value, labels: { [label]: key } }));
}

function histogram(name: string, counts: BucketCounts, labels: Labels): SampleValue[] {
  const out: SampleValue[] = [];
  let cumulative = 0;
  counts.bounds.forEach((bound, i) => {
    cumulative += counts.counts[i]!;
    out.push({ metricName: `${name}_bucket`, value: cumulative, labels: { ...labels, le: bound } });
  });
  out.push({ metricName: `${name}_bucket`, value: counts.count, labels: { ...labels, le: '+Inf' } });
  out.push({ metricName: `${name}_sum`, value: counts.sum, labels });
  out.push({ metricName: `${name}_count`, value: counts.count, labels });
  return out;
}

/**
 * Sums the view series that `pick` keeps into groups named by the labels `pick` returns, plus the
 * extra labels of `HttpMetricsInterceptor` subclasses for the per-view families.
 */
function groupViews(
  store: HttpMetricsStore,
  pick: (s: ViewSeries) => Labels | undefined,
  value: (s: ViewSeries) => number,
  perView = true,
): SampleValue[] {
  const groups = new Map<string, { labels: Labels; value: number }>();
  for (const series of store.views.values()) {
    const labels = pick(series);
    if (labels === undefined) continue;
    const all = perView ? withExtra(store, labels, series) : labels;
    const key = JSON.stringify(all);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { labels: all, value: value(series) });
    else group.value += value(series);
  }
  return [...groups.values()].map((g) => ({ value: g.value, labels: g.labels }));
}

function withExtra(store: HttpMetricsStore, labels: Labels, series: ViewSeries): Labels {
  if (store.extraLabelNames.length === 0) return labels;
  const all = { ...labels };
  for (const name of store.extraLabelNames) all[name] = series.extraLabels?.[name] ?? '';
  return all;
}

/** Requests of the view series `keep` accepts (a series with status `''` had no response). */
function sumViews(store: HttpMetricsStore, keep: (s: ViewSeries) => boolean): number {
  let total = 0;
  for (const series of store.views.values()) if (keep(series)) total += series.count;
  return total;
}

function latencyByViewMethod(store: HttpMetricsStore, name: string): SampleValue[] {
  const groups = new Map<string, { labels: Labels; counts: BucketCounts }>();
  for (const series of store.views.values()) {
    if (series.latency === undefined || series.latency.count === 0) continue;
    const labels = withExtra(store, { view: series.view, method: series.method }, series);
    const key = JSON.stringify(labels);
    const group = groups.get(key);
    if (group === undefined) {
      const counts = new BucketCounts(series.latency.bounds);
      counts.add(series.latency);
      groups.set(key, { labels, counts });
    } else {
      group.counts.add(series.latency);
    }
  }
  return [...groups.values()].flatMap((g) => histogram(name, g.counts, g.labels));
}

/**
 * The 19 HTTP metric families of SPEC §4.1–4.2, in exposition order: names (before the namespace
 * prefix), help texts, types, and how each is read from the store.
 * @internal
 */
export const HTTP_METRIC_FAMILIES: ReadonlyArray<HttpMetricFamily> = Object.freeze([
  {
    name: 'nestjs_http_requests_before_middlewares_total',
    help: 'Requests that entered the HTTP stack, counted by the outermost hook.',
    type: 'counter',
    read: (s) => single(sumViews(s, () => true)),
  },
  {
    name: 'nestjs_http_responses_before_middlewares_total',
    help: 'Responses that left the HTTP stack, counted by the outermost hook.',
    type: 'counter',
    read: (s) => single(sumViews(s, (v) => v.status !== '')),
  },
  {
    name: 'nestjs_http_requests_latency_including_middlewares_seconds',
    help: 'Time from the first hook to the last byte of the response, middleware included, in seconds.',
    type: 'histogram',
    read: (s, name) => histogram(name, s.latencyBefore, {}),
  },
  {
    name: 'nestjs_http_requests_unknown_latency_including_middlewares_total',
    help: 'Requests whose latency including middleware could not be measured (the client went away before the response was sent).',
    type: 'counter',
    read: (s) => single(sumViews(s, (v) => v.status === '')),
  },
  {
    name: 'nestjs_http_requests_latency_seconds_by_view_method',
    help: 'Time from the start of the route handler pipeline (guards, interceptors, pipes, handler) to the end of the response, by view and method, in seconds.',
    type: 'histogram',
    read: latencyByViewMethod,
  },
  {
    name: 'nestjs_http_requests_unknown_latency_total',
    help: 'Requests whose view latency could not be measured: no route handler took them, or the client went away first.',
    type: 'counter',
    read: (s) => single(s.unknownLatency),
  },
  {
    name: 'nestjs_http_ajax_requests_total',
    help: 'Requests sent with the header X-Requested-With: XMLHttpRequest.',
    type: 'counter',
    read: (s) => single(s.ajax),
  },
  {
    name: 'nestjs_http_requests_total_by_method_total',
    help: 'Requests by HTTP method.',
    type: 'counter',
    read: (s) => groupViews(s, (v) => ({ method: v.method }), (v) => v.count, false),
  },
  {
    name: 'nestjs_http_requests_total_by_transport_total',
    help: 'Requests by transport (http or https).',
    type: 'counter',
    read: (s) => groupViews(s, (v) => ({ transport: v.transport }), (v) => v.count, false),
  },
  {
    name: 'nestjs_http_requests_total_by_view_transport_method_total',
    help: 'Requests a route handler took, by view, transport and method.',
    type: 'counter',
    read: (s) => groupViews(s, (v) => (v.handled ? { view: v.view, transport: v.transport, method: v.method } : undefined), (v) => v.count),
  },
  {
    name: 'nestjs_http_requests_body_total_bytes',
    help: 'Request body sizes in bytes, from the Content-Length header (0 when absent).',
    type: 'histogram',
    read: (s, name) => histogram(name, s.requestBody, {}),
  },
  {
    name: 'nestjs_http_responses_total_by_templatename_total',
    help: 'Responses rendered from a template (@Render), by template name.',
    type: 'counter',
    read: (s) => byLabel(s.byTemplate, 'templatename'),
  },
  {
    name: 'nestjs_http_responses_total_by_status_total',
    help: 'Responses by status code sent.',
    type: 'counter',
    read: (s) => groupViews(s, (v) => (v.status === '' ? undefined : { status: v.status }), (v) => v.count, false),
  },
  {
    name: 'nestjs_http_responses_total_by_status_view_method_total',
    help: 'Responses by status code sent, view and method.',
    type: 'counter',
    read: (s) => groupViews(s, (v) => (v.status === '' ? undefined : { status: v.status, view: v.view, method: v.method }), (v) => v.count),
  },
  {
    name: 'nestjs_http_responses_body_total_bytes',
    help: 'Response body sizes in bytes of non-streaming responses, from the Content-Length header.',
    type: 'histogram',
    read: (s, name) => histogram(name, s.responseBody, {}),
  },
  {
    name: 'nestjs_http_responses_total_by_charset_total',
    help: 'Responses by the charset declared in their Content-Type header.',
    type: 'counter',
    read: (s) => byLabel(s.byCharset, 'charset'),
  },
  {
    name: 'nestjs_http_responses_streaming_total',
    help: 'Responses whose body was streamed (sent without a Content-Length header, e.g. StreamableFile).',
    type: 'counter',
    read: (s) => single(s.streaming),
  },
  {
    name: 'nestjs_http_exceptions_total_by_type_total',
    help: 'Exceptions thrown by route handlers, guards, interceptors and pipes, by exception class name.',
    type: 'counter',
    read: (s) => byLabel(s.exceptionsByType, 'type'),
  },
  {
    name: 'nestjs_http_exceptions_total_by_view_total',
    help: 'Exceptions thrown by route handlers, guards, interceptors and pipes, by view.',
    type: 'counter',
    read: (s) => groupViews(s, (v) => (v.exceptions > 0 ? { view: v.view } : undefined), (v) => v.exceptions),
  },
]);

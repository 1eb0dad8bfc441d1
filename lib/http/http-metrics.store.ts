import { Logger } from '@nestjs/common';
import { BucketCounts, ByteCounts } from './bucket-counts.js';
import type { HttpObservation } from './http-observation.js';
import { LabelCounts } from './label-counts.js';
import { ViewSeries } from './view-series.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_LABELS = new Set(['view', 'method', 'status', 'transport', 'le']);

/**
 * The HTTP metrics in plain numbers, written once per request by the adapter hooks and read by the
 * registry's collectors at scrape time. One store per registry and namespace: every app in the
 * process that writes to the same registry shares it, so their counts add up and nothing is counted
 * twice.
 * @internal
 */
export class HttpMetricsStore {
  unknownLatency = 0;
  ajax = 0;
  streaming = 0;
  readonly latencyBefore: BucketCounts;
  readonly requestBody: ByteCounts;
  readonly responseBody: ByteCounts;
  readonly byTemplate = new LabelCounts();
  readonly byCharset = new LabelCounts();
  readonly exceptionsByType = new LabelCounts();
  readonly views = new Map<string, ViewSeries>();
  /** The series a request without extra labels last landed in, per view (a cache over `views`). */
  private readonly lastByView = new Map<string, ViewSeries>();
  /** The series the last request without extra labels landed in (a cache over `lastByView`). */
  private last: ViewSeries | undefined = undefined;
  /** Names of extra labels seen so far, in first-seen order. */
  readonly extraLabelNames: string[] = [];
  private readonly latencyBounds: Float64Array;
  private readonly rejectedLabels = new Set<string>();

  constructor(latencyBuckets: ReadonlyArray<number>) {
    this.latencyBounds = Float64Array.from(latencyBuckets);
    this.latencyBefore = new BucketCounts(this.latencyBounds);
    this.requestBody = new ByteCounts();
    this.responseBody = new ByteCounts();
  }

  /** The latency bucket bounds this store was created with. */
  get latencyBuckets(): ReadonlyArray<number> {
    return Array.from(this.latencyBounds);
  }

  /**
   * Counts one finished (or abandoned) request. Every request lands in exactly one `ViewSeries`,
   * so the counts by method, by transport, requests and responses are not kept here: the
   * collectors sum the view series at scrape time.
   */
  record(o: HttpObservation): void {
    if (o.ajax) this.ajax++;
    this.requestBody.observe(o.requestBytes);
    if (o.latency >= 0) this.latencyBefore.observe(o.latency);
    if (o.status !== '') {
      if (o.streaming) this.streaming++;
      else if (o.responseBytes >= 0) this.responseBody.observe(o.responseBytes);
      if (o.charset !== undefined) this.byCharset.add(o.charset);
      if (o.template !== undefined && o.exception === undefined) this.byTemplate.add(o.template);
    }
    if (o.exception !== undefined) this.exceptionsByType.add(o.exception);

    const series = o.extraLabels === undefined ? this.seriesWithoutExtras(o) : this.seriesOf(o, this.validExtraLabels(o.extraLabels));
    series.count++;
    if (o.exception !== undefined) series.exceptions++;
    if (o.handled && o.handlerLatency >= 0) series.latency!.observe(o.handlerLatency);
    else this.unknownLatency++;
  }

  reset(): void {
    this.unknownLatency = this.ajax = this.streaming = 0;
    this.latencyBefore.reset();
    this.requestBody.reset();
    this.responseBody.reset();
    for (const counts of [this.byTemplate, this.byCharset, this.exceptionsByType]) counts.clear();
    this.views.clear();
    this.lastByView.clear();
    this.last = undefined;
  }

  /**
   * The series of a request without extra labels. Requests to one view mostly share method, status
   * and transport, so the last series of each view is tried first: a map lookup by the view's
   * string and three comparisons, where building the series key would allocate a string per request.
   * Before that, the series of the previous request: four comparisons of strings that are usually
   * the same objects (the labels come from constant tables and the route's own strings).
   */
  private seriesWithoutExtras(o: HttpObservation): ViewSeries {
    let series = this.last;
    if (series !== undefined && series.view === o.view && sameCall(series, o)) return series;
    series = this.lastByView.get(o.view);
    if (series === undefined || !sameCall(series, o)) {
      series = this.seriesOf(o, undefined);
      this.lastByView.set(o.view, series);
    }
    this.last = series;
    return series;
  }

  private seriesOf(o: HttpObservation, extra: Readonly<Record<string, string>> | undefined): ViewSeries {
    let key = `${o.view}\u0000${o.method}\u0000${o.status}\u0000${o.transport}`;
    if (extra !== undefined) for (const name in extra) key += `\u0000${name}\u0001${extra[name]}`;
    let series = this.views.get(key);
    if (series === undefined) {
      series = new ViewSeries(o.view, o.method, o.status, o.transport, o.handled, extra,
        o.handled ? new BucketCounts(this.latencyBounds) : undefined);
      this.views.set(key, series);
    }
    return series;
  }

  private validExtraLabels(labels: Readonly<Record<string, string>>): Readonly<Record<string, string>> | undefined {
    let valid: Record<string, string> | undefined;
    for (const name of Object.keys(labels).sort()) {
      if (!LABEL_NAME.test(name) || RESERVED_LABELS.has(name) || name.startsWith('__')) {
        if (!this.rejectedLabels.has(name)) {
          this.rejectedLabels.add(name);
          new Logger('PrometheusModule').warn(`extra HTTP metric label "${name}" ignored: not a valid label name, or one of view, method, status, transport, le`);
        }
        continue;
      }
      if (!this.extraLabelNames.includes(name)) this.extraLabelNames.push(name);
      (valid ??= {})[name] = String(labels[name]);
    }
    return valid;
  }
}

/** Whether `o` has the method, status and transport of `series`. */
function sameCall(series: ViewSeries, o: HttpObservation): boolean {
  return series.method === o.method && series.status === o.status && series.transport === o.transport;
}

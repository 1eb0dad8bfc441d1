import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type {
  HistogramSeries,
  MetricOutline,
  ProcessSnapshot,
  ReplayableSnapshot,
  SeriesLabels,
  SnapshotMetric,
  SnapshotSample,
  SnapshotSink,
} from './process-snapshot.interface.js';
import { hasAmbiguousLabel } from './snapshot-input.js';
import {
  allowedSampleNames,
  check,
  checkHeader,
  checkLabels,
  checkMetricHeader,
  checkSample,
  Invalid,
  isPlainObject,
  type SnapshotCheck,
} from './validate-snapshot.js';

/*
 * Snapshot format `version: 2`: newline-delimited JSON records, so that a snapshot is written and
 * read a record at a time, giving the event loop back between records, and holds a histogram
 * series as one label set and one array of numbers instead of one object per sample line:
 *
 *   {"version":2,"pid":123,"hostname":"web-1","writtenAt":1764650000000,"exited":false}
 *   {"metric":{"name":"http_requests_total","help":"…","type":"counter","aggregator":"sum"}}
 *   {"samples":[{"value":3,"labels":{"code":"200"}}, …]}            (prom-client's JSON samples)
 *   {"metric":{"name":"latency_seconds","help":"…","type":"histogram","aggregator":"sum","buckets":[0.1,1]}}
 *   {"series":[[{"route":"/a"},[1,2,2,0.43,2]], …]}                 (labels; cumulative buckets, +Inf, sum, count)
 *   {"end":{"metrics":2,"chunks":2}}
 *
 * A metric's series or samples follow its `metric` record, in chunks of a bounded size. The `end`
 * record, with the counts, tells a complete file from one cut short on a line boundary.
 */

/** Series or samples per chunk record, at most. */
const ITEMS_PER_CHUNK = 256;
/** Characters per chunk record, about (a chunk is closed once it passes this). */
const CHARS_PER_CHUNK = 64 * 1024;
/** Longest record a reader parses (a chunk of one enormous series could exceed it: it is refused). */
export const MAX_RECORD_CHARS = 1024 * 1024;
/** Longest stretch of work between two yields to the event loop, by default (milliseconds). */
const SLICE_MS = 5;

/** The records of `snapshot` in format 2, one JSON text per record, without newlines. */
function* snapshotRecords(snapshot: ProcessSnapshot): Generator<string, void, undefined> {
  const { pid, hostname, writtenAt, exited } = snapshot;
  yield JSON.stringify({ version: 2, pid, hostname, writtenAt, exited });
  let chunks = 0;
  for (const metric of snapshot.metrics) {
    const { name, help, aggregator, perProcess, histogram } = metric;
    const type = metric.type as unknown as string;
    const header: Record<string, unknown> = { name, help, type, aggregator };
    if (perProcess === true) header.perProcess = true;
    if (histogram !== undefined) header.buckets = histogram.bounds;
    yield JSON.stringify({ metric: header });
    const items: ReadonlyArray<unknown> = histogram !== undefined ? histogram.series : metric.values;
    const key = histogram !== undefined ? 'series' : 'samples';
    let parts: string[] = [];
    let chars = 0;
    for (const item of items) {
      const text = histogram !== undefined ? seriesJson(item as HistogramSeries) : sampleJson(item as SampleLike);
      parts.push(text);
      chars += text.length;
      if (parts.length >= ITEMS_PER_CHUNK || chars >= CHARS_PER_CHUNK) {
        yield `{"${key}":[${parts.join(',')}]}`;
        chunks++;
        parts = [];
        chars = 0;
      }
    }
    if (parts.length > 0) {
      yield `{"${key}":[${parts.join(',')}]}`;
      chunks++;
    }
  }
  yield JSON.stringify({ end: { metrics: snapshot.metrics.length, chunks } });
}

interface SampleLike {
  readonly value: number;
  readonly labels?: object;
  readonly metricName?: string;
}

function seriesJson(series: HistogramSeries): string {
  return JSON.stringify([series.labels, series.values]);
}

function sampleJson(sample: SampleLike): string {
  const labels = sample.labels ?? {};
  return JSON.stringify(sample.metricName === undefined ? { value: sample.value, labels } : { value: sample.value, labels, metricName: sample.metricName });
}

/**
 * `snapshot` as format-2 records (each a line without its newline), built in slices of about
 * `sliceMs` so that a process with many series does not block its event loop while it persists or
 * answers its cluster primary.
 * @internal
 */
export async function snapshotV2Records(snapshot: ProcessSnapshot, sliceMs = SLICE_MS): Promise<string[]> {
  const records: string[] = [];
  let sliceStart = performance.now();
  for (const record of snapshotRecords(snapshot)) {
    records.push(record);
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return records;
}

/** The text of a format-2 file: the records, one per line. @internal */
export function joinRecords(records: ReadonlyArray<string>): string {
  return `${records.join('\n')}\n`;
}

/** The same text in one piece, synchronous (for `process.on('exit')`). @internal */
export function snapshotV2TextSync(snapshot: ProcessSnapshot): string {
  return joinRecords([...snapshotRecords(snapshot)]);
}

/** Whether `text` starts with a format-2 header record (otherwise it is read as format 1). @internal */
export function looksLikeV2(text: string): boolean {
  const end = text.indexOf('\n');
  if (end < 0 || end > 4096) return false;
  try {
    const header: unknown = JSON.parse(text.slice(0, end));
    return isPlainObject(header) && header.version === 2;
  } catch {
    return false;
  }
}

/** The metric being read, with what its chunks are checked against. */
interface Open {
  readonly name: string;
  /** The metric's outline, marked `ambiguous` once a series calls for it. */
  readonly outline: { -readonly [K in keyof MetricOutline]: MetricOutline[K] };
  /** Whether it carries compact series (its record has `buckets`). */
  readonly compact: boolean;
  readonly width: number;
  readonly allowed: ReadonlySet<string>;
  readonly bucketName: string;
}

/** The header record of a format-2 snapshot, checked. */
interface V2Header {
  readonly pid: number;
  readonly hostname: string;
  readonly writtenAt: number;
  readonly exited: boolean;
}

/** What a scan of a format-2 text gives: its header and the outline of its metrics, or why it is invalid. */
type Scan = { readonly ok: true; readonly header: V2Header; readonly outline: MetricOutline[] } | { readonly ok: false; readonly reason: string };

/** Sends what a scan reads to a sink that also wants each metric's outline (the collector below). */
interface ScanSink extends SnapshotSink {
  metric(index: number, outline?: MetricOutline): void;
}

/**
 * Parses and validates a format-2 snapshot a record at a time, giving the event loop back about
 * every `sliceMs`. Same rules and same kind of reasons as format 1 (`validateSnapshot`), each
 * naming the line; a file cut short, or with a record that is not JSON, is reported, never thrown.
 * @internal
 */
export async function parseSnapshotV2(text: string, sliceMs = SLICE_MS): Promise<SnapshotCheck> {
  const collector = new Collector();
  const scan = await scanSnapshotV2(text, collector, sliceMs);
  if (!scan.ok) return scan;
  return { ok: true, snapshot: { version: 2, ...scan.header, metrics: collector.metrics } };
}

/**
 * Validates a format-2 snapshot as `parseSnapshotV2` does, but keeps none of its series or
 * samples: the result holds the text, the header and the outline of the metrics, and `replay`
 * parses the records again into a sink (a merge folds each series as it comes and drops it). A
 * snapshot that failed here is never replayed, so nothing of a bad file reaches a merge.
 * @internal
 */
export async function checkSnapshotV2(text: string, sliceMs = SLICE_MS): Promise<{ readonly ok: true; readonly snapshot: ReplayableSnapshot } | { readonly ok: false; readonly reason: string }> {
  const scan = await scanSnapshotV2(text, undefined, sliceMs);
  if (!scan.ok) return scan;
  return { ok: true, snapshot: new CheckedSnapshotV2(text, scan.header, scan.outline, sliceMs) };
}

/** A validated format-2 text (see `checkSnapshotV2`). */
class CheckedSnapshotV2 implements ReplayableSnapshot {
  readonly version = 2;
  readonly pid: number;
  readonly hostname: string;
  readonly writtenAt: number;
  readonly exited: boolean;

  constructor(
    private readonly text: string,
    header: V2Header,
    readonly outline: ReadonlyArray<MetricOutline>,
    private readonly sliceMs: number,
  ) {
    this.pid = header.pid;
    this.hostname = header.hostname;
    this.writtenAt = header.writtenAt;
    this.exited = header.exited;
  }

  async replay(sink: SnapshotSink): Promise<void> {
    // The text was valid when checked and has not changed: the same checks pass again.
    const scan = await scanSnapshotV2(this.text, sink, this.sliceMs);
    if (!scan.ok) throw new Error(`a checked snapshot failed its second reading: ${scan.reason}`);
  }
}

/** Builds prom-client's JSON form (with compact histograms) of what a scan reads: `parseSnapshotV2`. */
class Collector implements ScanSink {
  readonly metrics: SnapshotMetric[] = [];
  private values: SnapshotSample[] = [];
  private series_: HistogramSeries[] = [];

  metric(_index: number, outline?: MetricOutline): void {
    const { bounds, ambiguous: _ambiguous, ...header } = outline as MetricOutline;
    this.values = [];
    if (bounds === undefined) {
      this.metrics.push({ ...header, values: this.values } as unknown as SnapshotMetric);
    } else {
      this.series_ = [];
      this.metrics.push({ ...header, values: this.values, histogram: { bounds, series: this.series_ } } as unknown as SnapshotMetric);
    }
  }

  series(labels: SeriesLabels, values: ReadonlyArray<number>): void {
    this.series_.push({ labels, values });
  }

  sample(sample: SnapshotSample): void {
    this.values.push(sample);
  }
}

/**
 * The one reader of format 2: parses and checks each record, sends each metric, series and sample
 * to `sink` (if any) as soon as it is checked, and keeps only the outline of the metrics.
 */
async function scanSnapshotV2(text: string, sink: ScanSink | undefined, sliceMs: number): Promise<Scan> {
  let line = 0;
  try {
    const lines = text.split('\n');
    // The text ends with a newline: the last element is empty.
    const count = lines.length > 0 && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    check(count > 0, 'empty');
    line = 1;
    const header = parseRecord(lines[0] as string);
    check(isPlainObject(header), 'the header is not a JSON object');
    checkHeader(header, 2);
    const outline: MetricOutline[] = [];
    const seen = new Set<string>();
    let open: Open | undefined;
    let chunks = 0;
    let ended = false;
    let sliceStart = performance.now();
    for (line = 2; line <= count; line++) {
      if (performance.now() - sliceStart >= sliceMs) {
        await nextTurn();
        sliceStart = performance.now();
      }
      check(!ended, 'a record after the end record');
      const record = parseRecord(lines[line - 1] as string);
      check(isPlainObject(record), 'not a JSON object');
      if (record.metric !== undefined) {
        const opened = openMetric(record.metric, seen);
        open = opened.open;
        outline.push(opened.outline);
        sink?.metric(outline.length - 1, opened.outline);
      } else if (record.series !== undefined) {
        check(open?.compact === true, 'a series chunk that does not follow a histogram\'s metric record');
        readSeries(record.series, open, sink);
        chunks++;
      } else if (record.samples !== undefined) {
        check(open !== undefined && !open.compact, 'a samples chunk that does not follow the metric record of a metric without `buckets`');
        readSamples(record.samples, open, sink);
        chunks++;
      } else if (record.end !== undefined) {
        const end = record.end;
        check(isPlainObject(end) && end.metrics === outline.length && end.chunks === chunks, `the end record counts ${JSON.stringify(end)}, but the file holds ${outline.length} metrics in ${chunks} chunks`);
        ended = true;
      } else {
        throw new Invalid('a record of an unknown kind');
      }
    }
    line = 0;
    check(ended, `truncated: no end record after line ${count} (the file was cut short)`);
    return {
      ok: true,
      header: { pid: header.pid as number, hostname: header.hostname as string, writtenAt: header.writtenAt as number, exited: header.exited === true },
      outline,
    };
  } catch (error) {
    const where = line > 0 ? `line ${line}: ` : '';
    if (error instanceof Invalid) return { ok: false, reason: `${where}${error.message}` };
    return { ok: false, reason: `${where}unreadable: ${(error as Error)?.message ?? String(error)}` };
  }
}

function parseRecord(text: string): unknown {
  check(text.length <= MAX_RECORD_CHARS, `${text.length} characters, more than the ${MAX_RECORD_CHARS} a record may have`);
  check(text !== '', 'an empty line (the file is corrupt)');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Invalid(`not valid JSON (${(error as Error).message}): the file is truncated or corrupt`);
  }
}

function openMetric(value: unknown, seen: Set<string>): { readonly open: Open; readonly outline: MetricOutline } {
  check(isPlainObject(value), 'the metric record is not an object');
  const header = checkMetricHeader(value, 'metric');
  check(!seen.has(header.name), `metric "${header.name}" appears twice`);
  seen.add(header.name);
  const { buckets } = value;
  const allowed = allowedSampleNames(header.name, header.type);
  const bucketName = `${header.name}_bucket`;
  if (buckets === undefined) return { open: { name: header.name, outline: header, compact: false, width: 0, allowed, bucketName }, outline: header };
  check(header.type === 'histogram', `metric "${header.name}": buckets on a ${header.type}`);
  check(
    Array.isArray(buckets) && buckets.every((bound) => typeof bound === 'number' && Number.isFinite(bound)),
    `metric "${header.name}": buckets is not an array of finite numbers`,
  );
  const bounds = buckets as number[];
  const outline = { ...header, bounds, ambiguous: false };
  return { open: { name: header.name, outline, compact: true, width: bounds.length + 3, allowed, bucketName }, outline };
}

function readSeries(value: unknown, open: Open, sink: SnapshotSink | undefined): void {
  const name = open.name;
  check(Array.isArray(value), `metric "${name}": series is not an array`);
  for (let index = 0; index < value.length; index++) {
    const entry: unknown = value[index];
    if (!(Array.isArray(entry) && entry.length === 2)) throw new Invalid(`metric "${name}" series[${index}] is not a [labels, values] pair`);
    const labels = checkLabels(entry[0], name, index, 'series', true);
    if (labels.le !== undefined) throw new Invalid(`metric "${name}" series[${index}]: "le" is reserved for the buckets`);
    const numbers: unknown = entry[1];
    if (!(Array.isArray(numbers) && numbers.length === open.width)) {
      throw new Invalid(`metric "${name}" series[${index}]: values is not an array of ${open.width} numbers (each bucket, +Inf, sum, count)`);
    }
    // The parsed array is kept unless it holds a null (what JSON makes of NaN and ±Infinity).
    let values = numbers as number[];
    for (let i = 0; i < numbers.length; i++) {
      const number: unknown = numbers[i];
      if (typeof number === 'number') continue;
      if (number !== null) throw new Invalid(`metric "${name}" series[${index}]: value ${JSON.stringify(number) ?? 'undefined'} is not a number`);
      if (values === numbers) values = [...(numbers as number[])];
      values[i] = Number.NaN;
    }
    if (!open.outline.ambiguous && hasAmbiguousLabel(labels)) open.outline.ambiguous = true;
    sink?.series(labels, values);
  }
}

function readSamples(value: unknown, open: Open, sink: SnapshotSink | undefined): void {
  const name = open.name;
  check(Array.isArray(value), `metric "${name}": samples is not an array`);
  for (let index = 0; index < value.length; index++) {
    const sample = checkSample(value[index], name, index, open.allowed, open.bucketName, 'samples');
    sink?.sample(sample as unknown as SnapshotSample);
  }
}

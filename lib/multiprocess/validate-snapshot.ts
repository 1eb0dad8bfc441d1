import { TimeSlicer } from '../export/time-slicer.js';
import type { ProcessSnapshot, SnapshotMetric } from './process-snapshot.interface.js';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary']);
const AGGREGATORS = new Set(['sum', 'first', 'min', 'max', 'average', 'omit']);
/** The sample names a metric of each type may carry besides its own name. */
const SUFFIXES: Readonly<Record<string, ReadonlyArray<string>>> = {
  counter: [],
  gauge: [],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

/** A validated snapshot, or why the value is not one. @internal */
export type SnapshotCheck = { readonly ok: true; readonly snapshot: ProcessSnapshot } | { readonly ok: false; readonly reason: string };

/** A reason to skip a snapshot, thrown by the checks and reported, never rethrown. @internal */
export class Invalid extends Error {}

/** @internal */
export function check(condition: boolean, reason: string): asserts condition {
  if (!condition) throw new Invalid(reason);
}

/** @internal */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that `value` (a parsed snapshot file, or a cluster worker's answer) is a snapshot this
 * version can merge, and returns a clean copy holding only the known fields: metric and label
 * names valid in the exposition format, a known type and aggregator, numeric values (`null`, which
 * is what JSON makes of NaN and ±Infinity, reads as NaN), label values that are strings or numbers,
 * no metric twice. Anything else is reported, never thrown, so one bad file cannot fail a scrape.
 * @internal
 */
export function validateSnapshot(value: unknown): SnapshotCheck {
  const steps = validating(value);
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}

/**
 * `validateSnapshot`, giving the event loop back about every `sliceMs` milliseconds: a process
 * with tens of thousands of series takes longer than one slice to check.
 * @internal
 */
export async function validateSnapshotSliced(value: unknown, sliceMs = 5): Promise<SnapshotCheck> {
  const slicer = new TimeSlicer(sliceMs);
  const steps = validating(value);
  let step = steps.next();
  while (step.done !== true) {
    if (slicer.due()) await slicer.pause();
    step = steps.next();
  }
  return step.value;
}

/** The checks, pausing (`yield`) every few samples so that a caller may slice them. */
function* validating(value: unknown): Generator<undefined, SnapshotCheck, undefined> {
  try {
    check(isPlainObject(value), 'not a JSON object');
    checkHeader(value, 1);
    check(Array.isArray(value.metrics), '`metrics` is not an array');
    const seen = new Set<string>();
    const metrics: SnapshotMetric[] = [];
    for (let index = 0; index < value.metrics.length; index++) {
      const clean = yield* checkMetric(value.metrics[index], `metrics[${index}]`);
      check(!seen.has(clean.name), `metric "${clean.name}" appears twice`);
      seen.add(clean.name);
      metrics.push(clean);
    }
    return {
      ok: true,
      snapshot: {
        version: 1,
        pid: value.pid as number,
        hostname: value.hostname as string,
        writtenAt: value.writtenAt as number,
        exited: value.exited === true,
        metrics,
      },
    };
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    return { ok: false, reason: `unreadable: ${(error as Error)?.message ?? String(error)}` };
  }
}

/**
 * The header fields of a snapshot (both versions): `version`, `pid`, `hostname`, `writtenAt`, `exited`.
 * @internal
 */
export function checkHeader(value: Record<string, unknown>, version: 1 | 2): void {
  check(value.version === version, `unknown format version ${JSON.stringify(value.version) ?? 'undefined'} (this version reads 1 and 2)`);
  check(Number.isSafeInteger(value.pid) && (value.pid as number) > 0, '`pid` is not a positive integer');
  check(typeof value.hostname === 'string', '`hostname` is not a string');
  check(typeof value.writtenAt === 'number' && Number.isFinite(value.writtenAt), '`writtenAt` is not a number');
  check(value.exited === undefined || typeof value.exited === 'boolean', '`exited` is not a boolean');
}

/** What a metric's header declares, checked. @internal */
export interface MetricHeader {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly aggregator: string;
  readonly perProcess?: boolean;
}

/** Checks a metric's name, help, type, aggregator and `perProcess` (both versions). @internal */
export function checkMetricHeader(metric: Record<string, unknown>, where: string): MetricHeader {
  const { name, help, type, aggregator, perProcess } = metric;
  check(typeof name === 'string' && METRIC_NAME.test(name), `${where}.name ${JSON.stringify(name) ?? 'undefined'} is not a valid metric name`);
  check(typeof help === 'string', `metric "${name}": help is not a string`);
  check(typeof type === 'string' && TYPES.has(type), `metric "${name}": unknown type ${JSON.stringify(type) ?? 'undefined'}`);
  check(
    typeof aggregator === 'string' && AGGREGATORS.has(aggregator),
    `metric "${name}": unknown aggregator ${JSON.stringify(aggregator) ?? 'undefined'}`,
  );
  check(perProcess === undefined || typeof perProcess === 'boolean', `metric "${name}": perProcess is not a boolean`);
  return perProcess === true ? { name, help, type, aggregator, perProcess } : { name, help, type, aggregator };
}

/** The sample names a metric may carry (its own name and its type's suffixes). @internal */
export function allowedSampleNames(name: string, type: string): ReadonlySet<string> {
  return new Set([name, ...(SUFFIXES[type] ?? []).map((suffix) => name + suffix)]);
}

function* checkMetric(metric: unknown, where: string): Generator<undefined, SnapshotMetric, undefined> {
  check(isPlainObject(metric), `${where} is not an object`);
  const { name, help, type, aggregator, perProcess } = checkMetricHeader(metric, where);
  const { values } = metric;
  check(Array.isArray(values), `metric "${name}": values is not an array`);
  const allowed = allowedSampleNames(name, type);
  const bucketName = `${name}_bucket`;
  const clean: Record<string, unknown>[] = [];
  for (let index = 0; index < values.length; index++) {
    clean.push(checkSample(values[index], name, index, allowed, bucketName));
    if ((index & 15) === 15) yield;
  }
  return {
    name,
    help,
    type,
    aggregator,
    values: clean,
    ...(perProcess === true ? { perProcess } : {}),
  } as unknown as SnapshotMetric;
}

/** Where a sample sits, for an error message: built only when a check fails. */
function sampleWhere(name: string, index: number, field: string): string {
  return `metric "${name}" ${field}[${index}]`;
}

/**
 * Checks one sample of prom-client's JSON form and returns a clean copy (`null` reads as NaN).
 * Per sample, the checks build no message unless they fail: a scrape validates every sample of
 * every process.
 * @internal
 */
export function checkSample(
  sample: unknown,
  name: string,
  index: number,
  allowed: ReadonlySet<string>,
  bucketName: string,
  field = 'values',
): Record<string, unknown> {
  if (!isPlainObject(sample)) throw new Invalid(`${sampleWhere(name, index, field)} is not an object`);
  const { value, labels, metricName } = sample;
  if (!(value === null || typeof value === 'number')) {
    throw new Invalid(`${sampleWhere(name, index, field)}: value ${JSON.stringify(value) ?? 'undefined'} is not a number`);
  }
  if (!(metricName === undefined || (typeof metricName === 'string' && allowed.has(metricName)))) {
    throw new Invalid(`${sampleWhere(name, index, field)}: sample name ${JSON.stringify(metricName)} does not belong to the metric`);
  }
  const cleanLabels = checkLabels(labels, name, index, field);
  if (metricName === bucketName && cleanLabels.le === undefined) throw new Invalid(`${sampleWhere(name, index, field)}: a histogram bucket without an "le" label`);
  return metricName === undefined
    ? { value: value === null ? Number.NaN : value, labels: cleanLabels }
    : { value: value === null ? Number.NaN : value, labels: cleanLabels, metricName };
}

/**
 * Checks a labels object (absent reads as none) and returns a clean copy: valid names not
 * starting with `__`, values that are strings or numbers.
 * @internal
 */
export function checkLabels(labels: unknown, name: string, index: number, field: string, reuse = false): Record<string, string | number> {
  if (!(labels === undefined || isPlainObject(labels))) throw new Invalid(`${sampleWhere(name, index, field)}: labels is not an object`);
  const cleanLabels: Record<string, string | number> = {};
  if (labels !== undefined) {
    for (const label in labels) {
      if (!Object.prototype.hasOwnProperty.call(labels, label)) continue;
      const labelValue = labels[label];
      if (!(LABEL_NAME.test(label) && !label.startsWith('__'))) throw new Invalid(`${sampleWhere(name, index, field)}: ${JSON.stringify(label)} is not a valid label name`);
      if (!(typeof labelValue === 'string' || (typeof labelValue === 'number' && !Number.isNaN(labelValue)))) {
        throw new Invalid(`${sampleWhere(name, index, field)}: label ${label} has a value that is not a string or a number`);
      }
      if (!reuse) cleanLabels[label] = labelValue;
    }
  }
  // Every own property was checked (one bad label rejects the whole snapshot): a parsed object
  // may be kept as it is, which spares a copy per series.
  return reuse && labels !== undefined ? (labels as Record<string, string | number>) : cleanLabels;
}

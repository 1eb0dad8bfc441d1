import { Histogram, Registry, type Metric, type RegistryContentType } from 'prom-client';
import { braceLabels, escapeText, formatLabelPairs, formatSampleValue } from './exposition-text.js';
import { TextBuffer } from './text-buffer.js';
import { TimeSlicer } from './time-slicer.js';

/** Options of {@link renderRegistry}. */
export interface RenderRegistryOptions {
  /**
   * Longest stretch of rendering, in milliseconds, between two yields to the event loop. Requests
   * that arrive during a scrape wait at most about this long.
   * @default 5
   */
  readonly sliceMs?: number;
}

type Labels = Readonly<Record<string, unknown>>;

/** The parts of a prom-client 15 histogram the fast path reads; checked before use. */
interface HistogramState {
  readonly name: string;
  readonly help: string;
  readonly upperBounds: readonly number[];
  readonly hashMap: Record<string, { labels: Labels; bucketValues: Record<string, number>; sum: number; count: number }>;
  readonly collect?: () => unknown;
}

/** A value as `get()` returns it, with the fields prom-client's formatter reads. */
interface SampleValue {
  readonly value: unknown;
  readonly labels?: Labels;
  readonly metricName?: string;
  readonly sharedLabels?: Labels;
}

/** What a metric's `get()` resolves to. */
interface MetricSnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values?: readonly SampleValue[];
}

/**
 * Renders `registry` in the Prometheus text format 0.0.4, byte for byte what `registry.metrics()`
 * returns, but about 3–4× faster for large histograms and without blocking the event loop for the
 * whole scrape: it yields every `sliceMs` milliseconds, so requests keep flowing while a registry
 * with thousands of series is rendered. Registries in the OpenMetrics format are handed to
 * `registry.metrics()` unchanged.
 *
 * @example const body = await renderRegistry(register);
 */
export async function renderRegistry(registry: Registry<RegistryContentType>, options: RenderRegistryOptions = {}): Promise<string> {
  const sliceMs = options.sliceMs ?? 5;
  if (typeof sliceMs !== 'number' || !(sliceMs >= 0) || !Number.isFinite(sliceMs)) {
    throw new RangeError(`renderRegistry: option \`sliceMs\` is ${String(sliceMs)}; accepted: a finite number of milliseconds >= 0`);
  }
  const defaultLabels = readDefaultLabels(registry);
  if (registry.contentType !== Registry.PROMETHEUS_CONTENT_TYPE || defaultLabels === undefined) return registry.metrics();
  // Like prom-client, start every metric's collection at once (in registry order), so slow async
  // `collect()` callbacks overlap; then render them one by one.
  const prepared = (registry.getMetricsAsArray() as unknown as Metric<string>[]).map(prepare);
  const out = new TextBuffer();
  const breathe = new Breather(sliceMs, out);
  for (const metric of prepared) {
    if (!out.isEmpty) out.push('\n\n');
    if (metric.histogram !== undefined) {
      await metric.collected;
      await renderHistogram(metric.histogram, defaultLabels, out, breathe);
    } else {
      await renderValues(await metric.snapshot, defaultLabels, out, breathe);
    }
    if (breathe.due()) await breathe.now();
  }
  out.push('\n');
  return out.toString();
}

/** At the end of each time slice: flattens what was written so far, then yields to the event loop. */
class Breather {
  private readonly slicer: TimeSlicer;

  constructor(sliceMs: number, private readonly out: TextBuffer) {
    this.slicer = new TimeSlicer(sliceMs);
  }

  /** Cheap unless the slice is used up; await it only then: `if (breathe.due()) await breathe.now()`. */
  due(): boolean {
    return this.slicer.due();
  }

  async now(): Promise<void> {
    this.out.flush();
    await this.slicer.pause();
  }
}

/** A metric whose collection has started: a histogram read directly, or any metric's `get()`. */
type Prepared =
  | { readonly histogram: HistogramState; readonly collected: Promise<void> }
  | { readonly histogram?: undefined; readonly snapshot: Promise<MetricSnapshot> };

function prepare(metric: Metric<string>): Prepared {
  const histogram = asPlainHistogram(metric);
  const pending = histogram !== undefined ? runCollect(histogram) : collectValues(metric);
  // A rejection surfaces when the loop reaches this metric; until then, keep it handled.
  pending.catch(() => undefined);
  return histogram !== undefined ? { histogram, collected: pending as Promise<void> } : { snapshot: pending as Promise<MetricSnapshot> };
}

async function runCollect(histogram: HistogramState): Promise<void> {
  if (histogram.collect !== undefined) await histogram.collect();
}

/** The registry's default labels, `null` when there are none, `undefined` when unreadable. */
function readDefaultLabels(registry: Registry<RegistryContentType>): Labels | null | undefined {
  const labels = (registry as unknown as { _defaultLabels?: unknown })._defaultLabels;
  if (typeof labels !== 'object' || labels === null) return undefined;
  return Object.keys(labels).length > 0 ? (labels as Labels) : null;
}

/** `metric` when it is a prom-client histogram whose state has the shape this renderer knows. */
function asPlainHistogram(metric: Metric<string>): HistogramState | undefined {
  if (!(metric instanceof Histogram)) return undefined;
  const candidate = metric as unknown as Partial<HistogramState> & { getForPromString?: unknown };
  const prototype = Histogram.prototype as unknown as { getForPromString?: unknown; get: unknown };
  const plain =
    candidate.getForPromString === prototype.getForPromString &&
    (metric as unknown as { get: unknown }).get === prototype.get &&
    Array.isArray(candidate.upperBounds) &&
    candidate.upperBounds.every((bound) => typeof bound === 'number') &&
    typeof candidate.hashMap === 'object' &&
    candidate.hashMap !== null;
  return plain ? (candidate as HistogramState) : undefined;
}

async function collectValues(metric: Metric<string>): Promise<MetricSnapshot> {
  const source = metric as unknown as { getForPromString?: () => Promise<MetricSnapshot> };
  return typeof source.getForPromString === 'function' ? source.getForPromString() : (metric.get() as unknown as Promise<MetricSnapshot>);
}

function header(name: string, help: string, type: string): string {
  return `# HELP ${name} ${escapeText(help)}\n# TYPE ${name} ${type}`;
}

/** Reads the histogram's children directly: one label string per child, shared by its buckets. */
async function renderHistogram(histogram: HistogramState, defaultLabels: Labels | null, out: TextBuffer, breathe: Breather): Promise<void> {
  const name = escapeText(histogram.name);
  const bounds = histogram.upperBounds;
  const bucketPrefixes = bounds.map((bound) => `\n${histogram.name}_bucket{le="${bound}"`);
  const infPrefix = `\n${histogram.name}_bucket{le="+Inf"`;
  out.push(header(name, histogram.help, 'histogram'));
  for (const child of Object.values(histogram.hashMap)) {
    const own = formatLabelPairs(child.labels);
    const defaults = defaultLabels === null ? '' : formatLabelPairs(defaultLabels, child.labels);
    const rest = braceLabels(defaults, own);
    const afterLe = rest === '' ? '} ' : `,${rest.slice(1, -1)}} `;
    let text = '';
    let cumulative = 0;
    for (let i = 0; i < bounds.length; i++) {
      cumulative += child.bucketValues[bounds[i] as number] as number;
      text += `${bucketPrefixes[i]}${afterLe}${cumulative}`;
    }
    text += `${infPrefix}${afterLe}${formatSampleValue(child.count)}`;
    text += `\n${histogram.name}_sum${rest} ${formatSampleValue(child.sum)}`;
    text += `\n${histogram.name}_count${rest} ${formatSampleValue(child.count)}`;
    out.push(text);
    if (breathe.due()) await breathe.now();
  }
}

/** Formats what `get()` returned, the way prom-client's registry does, with a cache per label set. */
async function renderValues(metric: MetricSnapshot, defaultLabels: Labels | null, out: TextBuffer, breathe: Breather): Promise<void> {
  const name = escapeText(metric.name);
  out.push(header(name, metric.help, metric.type));
  const sharedCache = new Map<Labels, string>();
  for (const value of metric.values ?? []) {
    const metricName = value.metricName === undefined ? name : value.metricName;
    let labels: Labels = value.labels === undefined ? {} : value.labels;
    const shared = value.sharedLabels === undefined ? {} : value.sharedLabels;
    if (defaultLabels !== null) labels = { ...labels, ...defaultLabels, ...labels };
    let flattened = sharedCache.get(shared);
    if (flattened === undefined) {
      flattened = formatLabelPairs(shared);
      sharedCache.set(shared, flattened);
    }
    out.push(`\n${metricName}${braceLabels(formatLabelPairs(labels, shared), flattened)} ${formatSampleValue(value.value)}`);
    if (breathe.due()) await breathe.now();
  }
}

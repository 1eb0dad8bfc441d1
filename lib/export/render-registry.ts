import { Histogram, Registry, type Metric, type RegistryContentType } from 'prom-client';
import { braceLabels, escapeText, formatLabelPairs, formatSampleValue } from './exposition-text.js';
import { CHUNK_CHARS, TextBuffer } from './text-buffer.js';
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

/** Options of {@link renderRegistryChunks}. */
export interface RenderRegistryChunksOptions extends RenderRegistryOptions {
  /**
   * Size of the chunks handed out, in characters (the last one may be shorter). A chunk never
   * splits a UTF-16 surrogate pair, so each chunk encodes to UTF-8 on its own.
   * @default 65536
   */
  readonly chunkChars?: number;
}

/**
 * Renders `registry` in the Prometheus text format 0.0.4, byte for byte what `registry.metrics()`
 * returns, but about 3–4× faster for large histograms and without blocking the event loop for the
 * whole scrape: it yields every `sliceMs` milliseconds, so requests keep flowing while a registry
 * with thousands of series is rendered. Registries in the OpenMetrics format are handed to
 * `registry.metrics()` unchanged. To send a large exposition without ever holding it as one
 * string, use {@link renderRegistryChunks}.
 *
 * @example const body = await renderRegistry(register);
 */
export async function renderRegistry(registry: Registry<RegistryContentType>, options: RenderRegistryOptions = {}): Promise<string> {
  const sliceMs = checkSliceMs(options.sliceMs, 'renderRegistry');
  if (!renderable(registry)) return registry.metrics();
  const chunks: string[] = [];
  for await (const chunk of renderChunks(registry, sliceMs, CHUNK_CHARS)) chunks.push(chunk);
  return chunks.length === 1 ? (chunks[0] as string) : chunks.join('');
}

/**
 * The exposition `renderRegistry` returns, handed out in chunks of about 64 KB as it is rendered:
 * the chunks joined are the same bytes. Rendering runs only while the chunks are consumed (a
 * consumer that waits, e.g. for a slow socket to drain, pauses it) and stops when the consumer
 * stops iterating (`break`, or `return()` on the iterator): write each chunk to a response as it
 * comes, and a large registry is served without one long event-loop block for the whole body.
 * Options are checked when this is called; a failing `collect()` rejects the iteration.
 *
 * @example for await (const chunk of renderRegistryChunks(register)) if (!res.write(chunk)) await once(res, 'drain');
 */
export function renderRegistryChunks(registry: Registry<RegistryContentType>, options: RenderRegistryChunksOptions = {}): AsyncIterable<string> {
  const sliceMs = checkSliceMs(options.sliceMs, 'renderRegistryChunks');
  const chunkChars = options.chunkChars ?? CHUNK_CHARS;
  if (!Number.isSafeInteger(chunkChars) || chunkChars < 2) {
    throw new RangeError(`renderRegistryChunks: option \`chunkChars\` is ${String(chunkChars)}; accepted: an integer >= 2`);
  }
  if (!renderable(registry)) return sliceText(() => registry.metrics(), chunkChars);
  return renderChunks(registry, sliceMs, chunkChars);
}

function checkSliceMs(value: number | undefined, caller: string): number {
  const sliceMs = value ?? 5;
  if (typeof sliceMs !== 'number' || !(sliceMs >= 0) || !Number.isFinite(sliceMs)) {
    throw new RangeError(`${caller}: option \`sliceMs\` is ${String(sliceMs)}; accepted: a finite number of milliseconds >= 0`);
  }
  return sliceMs;
}

/** Whether the fast renderer handles `registry` (text format 0.0.4, readable default labels). */
function renderable(registry: Registry<RegistryContentType>): boolean {
  return registry.contentType === Registry.PROMETHEUS_CONTENT_TYPE && readDefaultLabels(registry) !== undefined;
}

/** The text `render` resolves to, in pieces of at most `chunkChars`, never splitting a surrogate pair. */
async function* sliceText(render: () => Promise<string>, chunkChars: number): AsyncGenerator<string> {
  const whole = await render();
  let at = 0;
  while (at < whole.length) {
    let end = Math.min(at + chunkChars, whole.length);
    const last = whole.charCodeAt(end - 1);
    if (end < whole.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield whole.slice(at, end);
    at = end;
  }
}

async function* renderChunks(registry: Registry<RegistryContentType>, sliceMs: number, chunkChars: number): AsyncGenerator<string> {
  const defaultLabels = readDefaultLabels(registry) as Labels | null;
  // Like prom-client, start every metric's collection at once (in registry order), so slow async
  // `collect()` callbacks overlap; then render them one by one.
  const prepared = (registry.getMetricsAsArray() as unknown as Metric<string>[]).map(prepare);
  const out = new TextBuffer(chunkChars);
  const slicer = new TimeSlicer(sliceMs);
  for (const metric of prepared) {
    if (!out.isEmpty) out.push('\n\n');
    if (metric.histogram !== undefined) {
      await metric.collected;
      yield* renderHistogram(metric.histogram, defaultLabels, out, slicer);
    } else {
      yield* renderValues(await metric.snapshot, defaultLabels, out, slicer);
    }
    if (slicer.due()) await slicer.pause();
  }
  out.push('\n');
  out.flush();
  yield* out.take();
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
async function* renderHistogram(histogram: HistogramState, defaultLabels: Labels | null, out: TextBuffer, slicer: TimeSlicer): AsyncGenerator<string> {
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
    if (out.hasChunk) yield* out.take();
    if (slicer.due()) await slicer.pause();
  }
}

/** Formats what `get()` returned, the way prom-client's registry does, with a cache per label set. */
async function* renderValues(metric: MetricSnapshot, defaultLabels: Labels | null, out: TextBuffer, slicer: TimeSlicer): AsyncGenerator<string> {
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
    if (out.hasChunk) yield* out.take();
    if (slicer.due()) await slicer.pause();
  }
}

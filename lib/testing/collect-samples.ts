import { Registry, type MetricObjectWithValues, type MetricValue, type RegistryContentType } from 'prom-client';
import type { MetricSample } from './metric-labels.js';
import { normalizeLabels } from './normalize-labels.js';
import { SampleIndex, type SampleEntry } from './sample-index.js';

type JsonValue = MetricValue<string> & { metricName?: string; sharedLabels?: Record<string, string | number> };

interface MutableEntry {
  readonly family: string;
  readonly type: string;
  readonly labelNames: ReadonlyArray<string>;
  readonly vector: MetricSample[];
}

/**
 * Reads every series of `registry` (through prom-client's async `getMetricsAsJSON`, so collect
 * callbacks run) and indexes them by the sample name a scraper sees. The result is a deep copy:
 * later changes to the registry never reach it.
 * @internal
 */
export async function collectSamples(registry: Registry<RegistryContentType>): Promise<SampleIndex> {
  const declared = new Map<string, ReadonlyArray<string>>();
  for (const metric of registry.getMetricsAsArray()) {
    const labelNames = (metric as { labelNames?: unknown }).labelNames;
    declared.set(metric.name, Array.isArray(labelNames) ? labelNames.map(String) : []);
  }
  const defaultLabelNames = readDefaultLabelNames(registry);
  const openMetrics = (registry.contentType as string) === Registry.OPENMETRICS_CONTENT_TYPE;
  const entries = new Map<string, MutableEntry>();

  for (const family of await registry.getMetricsAsJSON()) {
    const base = [...(declared.get(family.name) ?? []), ...defaultLabelNames];
    for (const [sampleName, extraLabel] of sampleNamesOf(family, openMetrics)) {
      const labelNames = extraLabel === undefined ? base : [...base, extraLabel];
      entries.set(sampleName, { family: family.name, type: String(family.type), labelNames: Object.freeze(unique(labelNames)), vector: [] });
    }
    for (const raw of family.values as JsonValue[]) {
      const name = String(family.type) === 'counter' ? counterSampleName(family.name, openMetrics) : (raw.metricName ?? family.name);
      const entry = entries.get(name) ?? addUnexpected(entries, name, family, base);
      entry.vector.push(Object.freeze({ labels: normalizeLabels({ ...raw.sharedLabels, ...raw.labels }), value: Number(raw.value) }));
    }
  }

  const frozen = new Map<string, SampleEntry>();
  for (const [name, entry] of entries) frozen.set(name, Object.freeze({ ...entry, vector: Object.freeze(entry.vector) }));
  return new SampleIndex(frozen);
}

/** Sample names of a family even before it has a series, each with the label its samples add. */
function sampleNamesOf(family: MetricObjectWithValues<MetricValue<string>>, openMetrics: boolean): Array<[string, string | undefined]> {
  switch (String(family.type)) {
    case 'counter':
      return [[counterSampleName(family.name, openMetrics), undefined]];
    case 'histogram':
      return [[`${family.name}_bucket`, 'le'], [`${family.name}_sum`, undefined], [`${family.name}_count`, undefined]];
    case 'summary':
      return [[family.name, 'quantile'], [`${family.name}_sum`, undefined], [`${family.name}_count`, undefined]];
    default:
      return [[family.name, undefined]];
  }
}

/** Counters are exposed under their own name, or with `_total` forced in OpenMetrics registries. */
function counterSampleName(name: string, openMetrics: boolean): string {
  return openMetrics ? `${name.replace(/_total$/, '')}_total` : name;
}

/** A series under a sample name its type does not predict (a custom collector): keep it. */
function addUnexpected(
  entries: Map<string, MutableEntry>,
  name: string,
  family: MetricObjectWithValues<MetricValue<string>>,
  labelNames: ReadonlyArray<string>,
): MutableEntry {
  const entry: MutableEntry = { family: family.name, type: String(family.type), labelNames: Object.freeze(unique(labelNames)), vector: [] };
  entries.set(name, entry);
  return entry;
}

/** Names of the registry's default labels, which prom-client adds to every series it reads out. */
function readDefaultLabelNames(registry: Registry<RegistryContentType>): string[] {
  const defaults = (registry as unknown as { _defaultLabels?: unknown })._defaultLabels;
  return typeof defaults === 'object' && defaults !== null ? Object.keys(defaults) : [];
}

function unique(names: ReadonlyArray<string>): string[] {
  return [...new Set(names)];
}

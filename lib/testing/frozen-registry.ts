import type { Registry, RegistryContentType } from 'prom-client';
import type { MetricLabels, MetricSample } from './metric-labels.js';
import { normalizeLabels } from './normalize-labels.js';
import type { SampleIndex } from './sample-index.js';
import { processShared } from '../shared/process-shared.js';

/** Shared by the ESM and CommonJS copies: a snapshot taken through one is read by the other. */
const SAMPLES = processShared('frozen-samples:v1', () => new WeakMap<object, SampleIndex>());

/**
 * A deep, immutable snapshot of a registry's series, taken by `saveRegistry()`. Later changes to
 * the registry (new series, new values, reset or removed metrics) never reach it, and nothing in
 * it can be changed: every object it hands out is frozen.
 */
export class FrozenRegistry {
  /**
   * The registry the snapshot was taken from. It is live, not frozen; `assertMetricDiff` and its
   * siblings compare the snapshot against it unless they are given another registry.
   */
  readonly registry: Registry<RegistryContentType>;

  /** @internal Use `saveRegistry()`. */
  constructor(registry: Registry<RegistryContentType>, samples: SampleIndex) {
    this.registry = registry;
    SAMPLES.set(this, samples);
    Object.freeze(this);
  }

  /** The value of the series `name{labels}` when the snapshot was taken, or `undefined`. */
  getMetric(name: string, labels: MetricLabels = {}): number | undefined {
    return samplesOf(this).value(name, normalizeLabels(labels));
  }

  /** Every series of the sample name `name` when the snapshot was taken (empty when none). */
  getMetricsVector(name: string): ReadonlyArray<MetricSample> {
    return samplesOf(this).vector(name);
  }
}

/** Whether `value` is a snapshot taken by `saveRegistry()` (of either build). @internal */
export function isFrozenRegistry(value: unknown): value is FrozenRegistry {
  return typeof value === 'object' && value !== null && SAMPLES.has(value);
}

/** The indexed series of a snapshot. @internal */
export function samplesOf(frozen: FrozenRegistry): SampleIndex {
  const samples = SAMPLES.get(frozen);
  if (samples === undefined) throw new TypeError('nest-prometheus/testing: expected a FrozenRegistry returned by saveRegistry()');
  return samples;
}

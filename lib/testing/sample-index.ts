import type { MetricSample } from './metric-labels.js';
import { sameLabels } from './normalize-labels.js';

/** What the index knows about one sample name (`x_total`, `x_bucket`, `x_sum`…). @internal */
export interface SampleEntry {
  /** Name of the metric family the sample belongs to, as registered. */
  readonly family: string;
  /** Family type: `counter`, `gauge`, `histogram`, `summary`. */
  readonly type: string;
  /** Label names a series of this sample carries (declared names, default labels, `le`/`quantile`). */
  readonly labelNames: ReadonlyArray<string>;
  readonly vector: ReadonlyArray<MetricSample>;
}

/**
 * Every series of a registry by sample name, frozen all the way down. Built by `collectSamples`;
 * both live reads and frozen snapshots go through it.
 * @internal
 */
export class SampleIndex {
  readonly #entries: ReadonlyMap<string, SampleEntry>;

  constructor(entries: ReadonlyMap<string, SampleEntry>) {
    this.#entries = entries;
    Object.freeze(this);
  }

  /** The entry of a sample name, or `undefined` when the registry has no such sample name. */
  entry(name: string): SampleEntry | undefined {
    return this.#entries.get(name);
  }

  /** Every series of a sample name, in registry order; empty when unknown. */
  vector(name: string): ReadonlyArray<MetricSample> {
    return this.#entries.get(name)?.vector ?? [];
  }

  /** The value of the series with exactly these labels, or `undefined`. */
  value(name: string, labels: Readonly<Record<string, string>>): number | undefined {
    return this.vector(name).find((sample) => sameLabels(sample.labels, labels))?.value;
  }

  /** Every sample name the registry knows, in registry order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }
}

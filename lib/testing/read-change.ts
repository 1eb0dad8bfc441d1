import type { Registry, RegistryContentType } from 'prom-client';
import { formatValue } from './format-series.js';
import { isFrozenRegistry, samplesOf, type FrozenRegistry } from './frozen-registry.js';
import type { MetricLabels } from './metric-labels.js';
import { readSeriesUnderTest, type SeriesUnderTest } from './metric-assertion.js';

/** A series before (in a snapshot) and after (now). @internal */
export interface SeriesChange extends SeriesUnderTest {
  /** Value in the snapshot; `undefined` when the series (or the whole metric) was absent. */
  readonly rawBefore: number | undefined;
  /** Value in the snapshot, an absent series counting as 0. */
  readonly before: number;
  /** Value now, an absent series counting as 0. */
  readonly after: number;
  /** `before: …` and `after: …` lines for failure messages. */
  readonly beforeAfter: string;
}

/**
 * Reads `name{labels}` in `frozen` and now in `registry` (default: the registry the snapshot was
 * taken from). A series absent on either side counts as 0, since a labelled counter that never
 * counted has no series yet; the sample name and label names must exist in the registry under test.
 * @internal
 */
export async function readChange(
  helper: string,
  frozen: FrozenRegistry,
  name: string,
  labels: MetricLabels,
  registry: Registry<RegistryContentType> | undefined,
): Promise<SeriesChange> {
  if (!isFrozenRegistry(frozen)) {
    throw new TypeError(`${helper}: the first argument must be the FrozenRegistry that saveRegistry() returned`);
  }
  const read = await readSeriesUnderTest(helper, name, labels, registry ?? frozen.registry);
  const rawBefore = samplesOf(frozen).value(name, read.labels);
  const line = (label: string, value: number | undefined): string =>
    `  ${label} ${formatValue(value)}${value === undefined ? ' (counted as 0)' : ''}`;
  return {
    ...read,
    rawBefore,
    before: rawBefore ?? 0,
    after: read.value ?? 0,
    beforeAfter: `${line('before:', rawBefore)}\n${line('after: ', read.value)}`,
  };
}

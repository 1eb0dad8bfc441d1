import { AssertionError } from 'node:assert';
import type { Registry, RegistryContentType } from 'prom-client';
import { checkLabels } from './check-arguments.js';
import { collectSamples } from './collect-samples.js';
import { formatSeries, formatVector } from './format-series.js';
import type { MetricLabels } from './metric-labels.js';
import type { SampleIndex } from './sample-index.js';

/** One assertion about one series, read from the registry under test. @internal */
export interface SeriesUnderTest {
  readonly helper: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `name{labels}` as in the exposition. */
  readonly series: string;
  /** The current value, `undefined` when the series is absent. */
  readonly value: number | undefined;
  /** The registry under test, read once. */
  readonly samples: SampleIndex;
}

/**
 * Reads `name{labels}` from `registry` for the assertion `helper`. Fails at once, with an
 * `AssertionError`, when the registry knows no such sample name or when the label names fit no
 * series of it: a typo must never pass as "absent" or "unchanged".
 * @internal
 */
export async function readSeriesUnderTest(helper: string, name: string, labels: MetricLabels, registry: Registry<RegistryContentType>): Promise<SeriesUnderTest> {
  const normalized = checkLabels(helper, name, labels);
  const samples = await collectSamples(registry);
  const series = formatSeries(name, normalized);
  const entry = samples.entry(name);
  if (entry === undefined) {
    fail(helper, `${series}: the registry under test has no metric with the sample name ${name}${suggest(name, samples)}`, undefined, series);
  }
  const given = Object.keys(normalized);
  const fits = (names: ReadonlyArray<string>): boolean => names.length === given.length && given.every((label) => names.includes(label));
  if (!fits(entry.labelNames) && !entry.vector.some((sample) => fits(Object.keys(sample.labels)))) {
    fail(
      helper,
      `${series}: ${name} has no series with the labels (${given.join(', ')}); its series carry the labels (${entry.labelNames.join(', ')})\n` +
        describeVector(name, samples),
      given,
      entry.labelNames,
    );
  }
  return { helper, name, labels: normalized, series, value: samples.value(name, normalized), samples };
}

/** The whole vector of the sample name in the registry under test, for failure messages. @internal */
export function describeVector(name: string, samples: SampleIndex): string {
  return `  all series of ${name} in the registry under test:\n${formatVector(name, samples.vector(name))}`;
}

/** Throws the `AssertionError` every helper fails with. @internal */
export function fail(helper: string, message: string, actual: unknown, expected: unknown): never {
  throw new AssertionError({ message: `${helper}: ${message}`, actual, expected, operator: helper });
}

function suggest(name: string, samples: SampleIndex): string {
  const family = samples.names().filter((candidate) => samples.entry(candidate)?.family === name);
  const close = samples.names().filter((candidate) => !family.includes(candidate) && (candidate.startsWith(name) || name.startsWith(candidate)));
  const hints: string[] = [];
  if (family.length > 0) {
    hints.push(`${name} is a ${samples.entry(family[0]!)?.type ?? 'metric'}; assert on its samples: ${family.join(', ')}`);
  }
  if (close.length > 0) hints.push(`did you mean ${close.slice(0, 5).join(' or ')}?`);
  return hints.length === 0 ? ' (names are sample names as a scraper sees them: x_total, x_bucket, x_sum, x_count)' : `; ${hints.join('; ')}`;
}

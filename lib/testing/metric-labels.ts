/**
 * Labels that pick one series, as a test writes them: `{ method: 'GET' }`, `{ le: 0.1 }`.
 * Values compare as the strings a scraper sees: numbers are written the way the exposition writes
 * them (`0.1`, `+Inf`), so `{ le: 0.1 }` and `{ le: '0.1' }` select the same bucket.
 */
export type MetricLabels = Readonly<Record<string, string | number>>;

/** One series of a sample name: its labels (values as strings) and its value. */
export interface MetricSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

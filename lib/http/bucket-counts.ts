/**
 * A histogram's state in plain numbers: one count per bucket (not cumulative), the sum and the
 * count. Observing is a short scan and two additions; prom-client only sees it at scrape time.
 * @internal
 */
export class BucketCounts {
  /** `counts[i]` observations fell in `(bounds[i-1], bounds[i]]`; the last slot is `+Inf`. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }

  /** Adds another histogram with the same bounds into this one. */
  add(other: BucketCounts): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.sum += other.sum;
    this.count += other.count;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

import { BODY_BYTES_BUCKETS } from './http.constants.js';

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

/** The largest finite bound of `BODY_BYTES_BUCKETS`. */
const MAX_BYTES_BOUND = BODY_BYTES_BUCKETS[BODY_BYTES_BUCKETS.length - 1]!;

/**
 * A histogram over `BODY_BYTES_BUCKETS` (0, then the powers of two 1 … 2^29): the bucket follows
 * from the value's bit length instead of a scan, which for a response of a few kilobytes walked a
 * dozen bounds per request. A value in (2^(k−1), 2^k] lands at index k + 1, the bound 2^k; 0 and
 * below (and NaN) at index 0; above 2^29 in `+Inf`: the same buckets as `BucketCounts.observe`.
 * @internal
 */
export class ByteCounts extends BucketCounts {
  constructor() {
    super(Float64Array.from(BODY_BYTES_BUCKETS));
  }

  override observe(bytes: number): void {
    const i = !(bytes > 0) ? 0 : bytes > MAX_BYTES_BOUND ? BODY_BYTES_BUCKETS.length : 33 - Math.clz32(Math.ceil(bytes) - 1);
    this.counts[i]!++;
    this.sum += bytes;
    this.count++;
  }
}

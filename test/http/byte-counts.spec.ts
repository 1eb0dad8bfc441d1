// The body-size histograms find a value's bucket from its bit length instead of scanning the
// bounds: every value must land where the scan (`BucketCounts.observe`) puts it.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
interface Counts {
  readonly counts: Float64Array;
  sum: number;
  count: number;
  observe(value: number): void;
}
const { BucketCounts, ByteCounts } = (await import(pathToFileURL(join(HERE, '../../../dist/http/bucket-counts.js')).href)) as {
  BucketCounts: new (bounds: Float64Array) => Counts;
  ByteCounts: new () => Counts;
};
const { BODY_BYTES_BUCKETS } = (await import(pathToFileURL(join(HERE, '../../../dist/http/http.constants.js')).href)) as {
  BODY_BYTES_BUCKETS: ReadonlyArray<number>;
};

describe('ByteCounts', () => {
  it('puts every value in the bucket the scan over BODY_BYTES_BUCKETS gives', () => {
    const values = [0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25, 1.5, 2 ** 40, 1e300];
    for (let k = 0; k <= 31; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1, 2 ** k + 0.5);
    let seed = 7;
    for (let n = 0; n < 2000; n++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      values.push(seed % 2 ** (n % 32));
    }
    for (const value of values) {
      const scan = new BucketCounts(Float64Array.from(BODY_BYTES_BUCKETS));
      const bits = new ByteCounts();
      scan.observe(value);
      bits.observe(value);
      assert.deepEqual(Array.from(bits.counts), Array.from(scan.counts), `bucket of ${value}`);
      assert.equal(bits.count, 1);
      assert.ok(Object.is(bits.sum, scan.sum), `sum of ${value}`);
    }
  });
});

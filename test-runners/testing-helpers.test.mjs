// One plain-ESM suite for the `nest-prometheus/testing` helpers, run unchanged under Jest, Vitest
// and Node's test runner (`npm test` (through scripts/run-tests.mjs)): it uses the runner's `describe`/`it` globals when
// there are some (Jest; Vitest with `globals: true`), else `node:test`, and asserts with node:assert
// only. Build first (`npm run build`): it imports the package by its name, from dist/.
import assert, { AssertionError } from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import {
  assertMetricDiff,
  assertMetricEqual,
  assertMetricNoDiff,
  getMetric,
  getMetricsVector,
  saveRegistry,
} from 'nest-prometheus/testing';

const { describe, it } = typeof globalThis.describe === 'function' ? globalThis : await import('node:test');

/** The name of the runner this file runs under, as a check that the suite really ran there. */
const runner = process.env.VITEST ? 'vitest' : process.env.JEST_WORKER_ID ? 'jest' : 'node:test';

describe(`nest-prometheus/testing under ${runner}`, () => {
  function shop() {
    const registry = new Registry();
    const orders = new Counter({ name: 'orders_total', help: 'Orders placed', labelNames: ['kind'], registers: [registry] });
    const latency = new Histogram({ name: 'checkout_seconds', help: 'Checkout time', buckets: [0.1, 1], registers: [registry] });
    return { registry, orders, latency };
  }

  it('reads sample names and asserts a change', async () => {
    const { registry, orders, latency } = shop();
    const before = await saveRegistry(registry);
    orders.inc({ kind: 'book' });
    latency.observe(0.5);

    await assertMetricDiff(before, 1, 'orders_total', { kind: 'book' });
    await assertMetricNoDiff(before, 'orders_total', { kind: 'pen' });
    await assertMetricEqual(1, 'checkout_seconds_bucket', { le: 1 }, registry);
    assert.equal(await getMetric('checkout_seconds_bucket', { le: '0.1' }, registry), 0);
    assert.equal(await getMetric('checkout_seconds_count', {}, registry), 1);
    assert.deepEqual(await getMetricsVector('orders_total', registry), [{ labels: { kind: 'book' }, value: 1 }]);
    assert.equal(before.getMetric('checkout_seconds_count'), 0, 'the snapshot did not move');
  });

  it('fails with a node:assert AssertionError that names the series, the values and the vector', async () => {
    const { registry, orders } = shop();
    const before = await saveRegistry(registry);
    orders.inc({ kind: 'book' }, 2);
    orders.inc({ kind: 'pen' });

    let caught;
    try {
      await assertMetricDiff(before, 1, 'orders_total', { kind: 'book' });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof AssertionError, `expected an AssertionError, got ${caught}`);
    assert.equal(caught.code, 'ERR_ASSERTION');
    assert.equal(
      caught.message,
      [
        'assertMetricDiff: orders_total{kind="book"} changed by 2, expected a change of 1',
        '  before: absent (counted as 0)',
        '  after:  2',
        '  all series of orders_total in the registry under test:',
        '    orders_total{kind="book"} 2',
        '    orders_total{kind="pen"} 1',
      ].join('\n'),
    );
  });

  it('runs under the runner test-runners/run.mjs asked for', () => {
    const expected = process.env.EXPECTED_RUNNER;
    if (expected !== undefined) assert.equal(runner, expected);
  });
});

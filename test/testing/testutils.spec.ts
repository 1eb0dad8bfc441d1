import assert, { AssertionError } from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import {
  assertMetricCompare,
  assertMetricDiff,
  assertMetricEqual,
  assertMetricNoDiff,
  assertMetricNotEqual,
  FrozenRegistry,
  getMetric,
  getMetricsVector,
  saveRegistry,
} from 'nest-prometheus/testing';
import { Counter, Gauge, Histogram, register, Registry, Summary, type OpenMetricsContentType } from 'prom-client';

/** Runs `fn`, expects it to reject with an AssertionError, and returns the error's message. */
async function failureOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof AssertionError, `expected an AssertionError, got ${String(error)}`);
    assert.equal(error.code, 'ERR_ASSERTION');
    return error.message;
  }
  assert.fail('expected the assertion to fail, it passed');
}

describe('nest-prometheus/testing helpers', () => {
  let registry: Registry;
  let someGauge: Gauge;
  let labelledGauge: Gauge<'labelred' | 'labelblue'>;

  beforeEach(() => {
    registry = new Registry();
    someGauge = new Gauge({ name: 'some_gauge', help: 'Some gauge.', registers: [registry] });
    someGauge.set(42);
    labelledGauge = new Gauge({ name: 'some_labelled_gauge', help: 'Some labelled gauge.', labelNames: ['labelred', 'labelblue'], registers: [registry] });
    labelledGauge.set({ labelred: 'pink', labelblue: 'indigo' }, 1);
    labelledGauge.set({ labelred: 'pink', labelblue: 'royal' }, 2);
    labelledGauge.set({ labelred: 'carmin', labelblue: 'indigo' }, 3);
    labelledGauge.set({ labelred: 'carmin', labelblue: 'royal' }, 4);
  });

  describe('getMetric', () => {
    it('reads a scalar and a labelled series', async () => {
      assert.equal(await getMetric('some_gauge', {}, registry), 42);
      assert.equal(await getMetric('some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry), 1);
      assert.equal(await getMetric('some_labelled_gauge', { labelblue: 'royal', labelred: 'carmin' }, registry), 4);
    });

    it('returns undefined for a missing metric, a missing series and a partial label set', async () => {
      assert.equal(await getMetric('some_nonexistent_gauge', {}, registry), undefined);
      assert.equal(await getMetric('some_labelled_gauge', { labelred: 'tomato', labelblue: 'sky' }, registry), undefined);
      assert.equal(await getMetric('some_labelled_gauge', { labelred: 'pink' }, registry), undefined, 'labels match exactly');
      assert.equal(await getMetric('some_gauge', { labelred: 'pink' }, registry), undefined, 'extra labels never match');
    });

    it('reads prom-client`s global register by default', async () => {
      const counter = new Counter({ name: 'testutils_global_total', help: 'on the global register' });
      try {
        counter.inc(3);
        assert.equal(await getMetric('testutils_global_total'), 3);
        assert.equal(await getMetric('testutils_global_total', {}, registry), undefined);
      } finally {
        register.removeSingleMetric('testutils_global_total');
      }
    });

    it('rejects a registry passed where the labels belong', async () => {
      await assert.rejects(
        getMetric('some_gauge', registry as unknown as Record<string, string>),
        (error: Error) => error instanceof TypeError && /got a Registry where the labels belong/.test(error.message),
      );
    });
  });

  describe('getMetricsVector', () => {
    it('lists every series of a sample name', async () => {
      assert.deepEqual(await getMetricsVector('some_nonexistent_gauge', registry), []);
      assert.deepEqual(await getMetricsVector('some_gauge', registry), [{ labels: {}, value: 42 }]);
      const vector = await getMetricsVector('some_labelled_gauge', registry);
      assert.deepEqual(
        [...vector].sort((a, b) => a.value - b.value),
        [
          { labels: { labelred: 'pink', labelblue: 'indigo' }, value: 1 },
          { labels: { labelred: 'pink', labelblue: 'royal' }, value: 2 },
          { labels: { labelred: 'carmin', labelblue: 'indigo' }, value: 3 },
          { labels: { labelred: 'carmin', labelblue: 'royal' }, value: 4 },
        ],
      );
    });
  });

  describe('sample names', () => {
    it('exposes histogram buckets (le as a string or a number), _sum and _count', async () => {
      const histogram = new Histogram({ name: 'job_seconds', help: 'h', labelNames: ['job'], buckets: [0.1, 1], registers: [registry] });
      histogram.observe({ job: 'a' }, 0.05);
      histogram.observe({ job: 'a' }, 0.5);
      histogram.observe({ job: 'a' }, 5);
      assert.equal(await getMetric('job_seconds_bucket', { job: 'a', le: '0.1' }, registry), 1);
      assert.equal(await getMetric('job_seconds_bucket', { job: 'a', le: 0.1 }, registry), 1);
      assert.equal(await getMetric('job_seconds_bucket', { job: 'a', le: 1 }, registry), 2);
      assert.equal(await getMetric('job_seconds_bucket', { job: 'a', le: '+Inf' }, registry), 3);
      assert.equal(await getMetric('job_seconds_bucket', { job: 'a', le: Number.POSITIVE_INFINITY }, registry), 3);
      assert.equal(await getMetric('job_seconds_count', { job: 'a' }, registry), 3);
      assert.equal(await getMetric('job_seconds_sum', { job: 'a' }, registry), 5.55);
      assert.equal(await getMetric('job_seconds', { job: 'a' }, registry), undefined, 'a histogram family has no sample of its own name');
    });

    it('exposes summary quantiles, _sum and _count', async () => {
      const summary = new Summary({ name: 'payload_bytes', help: 's', percentiles: [0.5], registers: [registry] });
      for (const value of [10, 20, 30]) summary.observe(value);
      assert.equal(await getMetric('payload_bytes', { quantile: 0.5 }, registry), 20);
      assert.equal(await getMetric('payload_bytes_count', {}, registry), 3);
      assert.equal(await getMetric('payload_bytes_sum', {}, registry), 60);
    });

    it('names counters as the exposition does, also in an OpenMetrics registry', async () => {
      const openMetrics = new Registry<OpenMetricsContentType>();
      openMetrics.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
      new Counter({ name: 'jobs', help: 'c', registers: [openMetrics] }).inc(2);
      assert.equal(await getMetric('jobs_total', {}, openMetrics), 2);
      assert.match(await openMetrics.metrics(), /^jobs_total 2$/m);
    });

    it('includes the registry`s default labels, as the exposition does', async () => {
      registry.setDefaultLabels({ app: 'shop' });
      assert.equal(await getMetric('some_gauge', { app: 'shop' }, registry), 42);
      assert.equal(await getMetric('some_gauge', {}, registry), undefined);
      await assertMetricEqual(42, 'some_gauge', { app: 'shop' }, registry);
    });

    it('expects the default labels on a labelled metric that has no series yet', async () => {
      registry.setDefaultLabels({ app: 'shop' });
      new Counter({ name: 'jobs_total', help: 'c', labelNames: ['kind'], registers: [registry] });
      const frozen = await saveRegistry(registry);
      await assertMetricNoDiff(frozen, 'jobs_total', { kind: 'a', app: 'shop' }, registry);
      assert.match(
        await failureOf(() => assertMetricNoDiff(frozen, 'jobs_total', { kind: 'a' }, registry)),
        /jobs_total has no series with the labels \(kind\); its series carry the labels \(kind, app\)/,
      );
    });
  });

  describe('assertMetricEqual / assertMetricNotEqual', () => {
    it('passes on the right value, scalar and labelled', async () => {
      await assertMetricEqual(42, 'some_gauge', {}, registry);
      await assertMetricEqual(1, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry);
      await assertMetricNotEqual(43, 'some_gauge', {}, registry);
      await assertMetricNotEqual(2, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry);
    });

    it('fails on a wrong value with the series, both values and the whole vector', async () => {
      const message = await failureOf(() => assertMetricEqual(2, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry));
      assert.equal(
        message,
        [
          'assertMetricEqual: some_labelled_gauge{labelred="pink",labelblue="indigo"} is 1, expected 2',
          '  all series of some_labelled_gauge in the registry under test:',
          '    some_labelled_gauge{labelred="pink",labelblue="indigo"} 1',
          '    some_labelled_gauge{labelred="pink",labelblue="royal"} 2',
          '    some_labelled_gauge{labelred="carmin",labelblue="indigo"} 3',
          '    some_labelled_gauge{labelred="carmin",labelblue="royal"} 4',
        ].join('\n'),
      );
    });

    it('carries actual, expected and operator on the AssertionError', async () => {
      const error = await assertMetricEqual(41, 'some_gauge', {}, registry).then(
        () => assert.fail('passed'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof AssertionError);
      assert.equal(error.actual, 42);
      assert.equal(error.expected, 41);
      assert.equal(error.operator, 'assertMetricEqual');
    });

    it('fails on an absent series', async () => {
      const message = await failureOf(() => assertMetricEqual(1, 'some_labelled_gauge', { labelred: 'tomato', labelblue: 'sky' }, registry));
      assert.match(message, /^assertMetricEqual: some_labelled_gauge\{labelred="tomato",labelblue="sky"\} is absent, expected 1\n/);
      assert.match(message, /some_labelled_gauge\{labelred="carmin",labelblue="royal"\} 4/);
    });

    it('fails on a missing metric, with a hint at the sample names', async () => {
      assert.equal(
        await failureOf(() => assertMetricEqual(42, 'some_nonexistent_gauge', {}, registry)),
        'assertMetricEqual: some_nonexistent_gauge: the registry under test has no metric with the sample name some_nonexistent_gauge ' +
          '(names are sample names as a scraper sees them: x_total, x_bucket, x_sum, x_count)',
      );
      new Histogram({ name: 'job_seconds', help: 'h', registers: [registry] });
      assert.match(
        await failureOf(() => assertMetricEqual(1, 'job_seconds', {}, registry)),
        /job_seconds is a histogram; assert on its samples: job_seconds_bucket, job_seconds_sum, job_seconds_count$/,
      );
      new Counter({ name: 'jobs_total', help: 'c', registers: [registry] });
      assert.match(await failureOf(() => assertMetricEqual(1, 'jobs', {}, registry)), /did you mean jobs_total\?$/);
    });

    it('fails when the label names fit no series of the metric', async () => {
      const message = await failureOf(() => assertMetricEqual(1, 'some_labelled_gauge', { labelred: 'pink', labelbleu: 'indigo' }, registry));
      assert.match(message, /some_labelled_gauge has no series with the labels \(labelred, labelbleu\); its series carry the labels \(labelred, labelblue\)/);
    });

    it('assertMetricNotEqual fails on the equal value and on a missing metric (fixed from django-prometheus)', async () => {
      assert.equal(
        await failureOf(() => assertMetricNotEqual(42, 'some_gauge', {}, registry)),
        'assertMetricNotEqual: some_gauge is 42, expected a value other than 42\n  all series of some_gauge in the registry under test:\n    some_gauge 42',
      );
      assert.match(await failureOf(() => assertMetricNotEqual(42, 'some_nonexistent_gauge', {}, registry)), /has no metric with the sample name some_nonexistent_gauge/);
      assert.match(
        await failureOf(() => assertMetricNotEqual(1, 'some_labelled_gauge', { labelred: 'tomato', labelblue: 'sky' }, registry)),
        /some_labelled_gauge\{labelred="tomato",labelblue="sky"\} is absent, expected a value other than 1/,
      );
    });

    it('shows the vector of the registry under test, not of the global register (fixed from django-prometheus)', async () => {
      const globalGauge = new Gauge({ name: 'some_gauge', help: 'same name on the global register' });
      try {
        globalGauge.set(7);
        const message = await failureOf(() => assertMetricEqual(1, 'some_gauge', {}, registry));
        assert.match(message, /some_gauge is 42, expected 1\n/);
        assert.match(message, /\n {4}some_gauge 42$/);
        assert.doesNotMatch(message, /some_gauge 7/);
      } finally {
        register.removeSingleMetric('some_gauge');
      }
    });
  });

  describe('saveRegistry', () => {
    it('takes a snapshot that later changes never reach', async () => {
      const frozen = await saveRegistry(registry);
      assert.ok(frozen instanceof FrozenRegistry);
      assert.equal(frozen.registry, registry);
      assert.equal(frozen.getMetric('some_gauge'), 42);
      someGauge.set(99);
      labelledGauge.set({ labelred: 'pink', labelblue: 'indigo' }, 5);
      labelledGauge.set({ labelred: 'new', labelblue: 'one' }, 6);
      assert.equal(frozen.getMetric('some_gauge'), 42);
      assert.equal(frozen.getMetric('some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }), 1);
      assert.equal(frozen.getMetricsVector('some_labelled_gauge').length, 4);
      registry.clear();
      assert.equal(frozen.getMetric('some_gauge'), 42);
    });

    it('copies counters, whose prom-client values are live objects', async () => {
      const counter = new Counter({ name: 'jobs_total', help: 'c', labelNames: ['kind'], registers: [registry] });
      counter.inc({ kind: 'a' });
      const frozen = await saveRegistry(registry);
      counter.inc({ kind: 'a' }, 10);
      assert.equal(frozen.getMetric('jobs_total', { kind: 'a' }), 1);
      assert.equal(await getMetric('jobs_total', { kind: 'a' }, registry), 11);
    });

    it('is immutable all the way down', async () => {
      const frozen = await saveRegistry(registry);
      const vector = frozen.getMetricsVector('some_labelled_gauge');
      assert.ok(Object.isFrozen(frozen));
      assert.ok(Object.isFrozen(vector));
      assert.ok(vector.every((sample) => Object.isFrozen(sample) && Object.isFrozen(sample.labels)));
      assert.throws(() => (vector as Array<unknown>).push({ labels: {}, value: 1 }), TypeError);
      assert.throws(() => {
        (vector[0] as { value: number }).value = 1000;
      }, TypeError);
      assert.throws(() => {
        (vector[0]!.labels as Record<string, string>).labelred = 'x';
      }, TypeError);
      assert.equal(frozen.getMetric('some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }), 1);
    });

    it('snapshots prom-client`s global register by default', async () => {
      const counter = new Counter({ name: 'testutils_global_total', help: 'on the global register' });
      try {
        const frozen = await saveRegistry();
        assert.equal(frozen.registry, register);
        counter.inc();
        await assertMetricDiff(frozen, 1, 'testutils_global_total');
      } finally {
        register.removeSingleMetric('testutils_global_total');
      }
    });
  });

  describe('assertMetricDiff', () => {
    it('passes on the right change, fails on a wrong one with before and after', async () => {
      const frozen = await saveRegistry(registry);
      someGauge.set(99);
      await assertMetricDiff(frozen, 99 - 42, 'some_gauge', {}, registry);
      assert.equal(
        await failureOf(() => assertMetricDiff(frozen, 1, 'some_gauge', {}, registry)),
        [
          'assertMetricDiff: some_gauge changed by 57, expected a change of 1',
          '  before: 42',
          '  after:  99',
          '  all series of some_gauge in the registry under test:',
          '    some_gauge 99',
        ].join('\n'),
      );
    });

    it('works on a labelled series', async () => {
      const frozen = await saveRegistry(registry);
      labelledGauge.set({ labelred: 'pink', labelblue: 'indigo' }, 5);
      await assertMetricDiff(frozen, 5 - 1, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry);
      await assertMetricDiff(frozen, 0, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'royal' }, registry);
      const message = await failureOf(() => assertMetricDiff(frozen, 1, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry));
      assert.match(message, /^assertMetricDiff: some_labelled_gauge\{labelred="pink",labelblue="indigo"\} changed by 4, expected a change of 1\n {2}before: 1\n {2}after: {2}5\n/);
      assert.match(message, /\n {4}some_labelled_gauge\{labelred="pink",labelblue="indigo"\} 5\n/);
    });

    it('counts a series absent from the snapshot, or a metric registered after it, as 0', async () => {
      const counter = new Counter({ name: 'jobs_total', help: 'c', labelNames: ['kind'], registers: [registry] });
      const frozen = await saveRegistry(registry);
      counter.inc({ kind: 'a' });
      const late = new Counter({ name: 'late_total', help: 'registered after the snapshot', registers: [registry] });
      late.inc(2);
      await assertMetricDiff(frozen, 1, 'jobs_total', { kind: 'a' }, registry);
      await assertMetricDiff(frozen, 0, 'jobs_total', { kind: 'b' }, registry);
      await assertMetricDiff(frozen, 2, 'late_total', {}, registry);
      assert.match(
        await failureOf(() => assertMetricDiff(frozen, 2, 'jobs_total', { kind: 'a' }, registry)),
        /changed by 1, expected a change of 2\n {2}before: absent \(counted as 0\)\n {2}after: {2}1\n/,
      );
    });

    it('compares with the registry the snapshot was taken from by default', async () => {
      const frozen = await saveRegistry(registry);
      someGauge.inc(3);
      await assertMetricDiff(frozen, 3, 'some_gauge');
      await assertMetricNoDiff(frozen, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' });
    });

    it('accepts the rounding of a fractional change', async () => {
      const histogram = new Histogram({ name: 'job_seconds', help: 'h', buckets: [1], registers: [registry] });
      histogram.observe(0.2);
      const frozen = await saveRegistry(registry);
      histogram.observe(0.1);
      await assertMetricDiff(frozen, 0.1, 'job_seconds_sum', {}, registry);
      await assertMetricDiff(frozen, 1, 'job_seconds_bucket', { le: 1 }, registry);
      await failureOf(() => assertMetricDiff(frozen, 0.1000001, 'job_seconds_sum', {}, registry));
    });

    it('fails on a missing metric and on label names that fit no series, never counting them as 0', async () => {
      const frozen = await saveRegistry(registry);
      assert.match(await failureOf(() => assertMetricDiff(frozen, 0, 'some_nonexistent_gauge', {}, registry)), /has no metric with the sample name some_nonexistent_gauge/);
      assert.match(await failureOf(() => assertMetricDiff(frozen, 0, 'some_labelled_gauge', { labelred: 'pink' }, registry)), /has no series with the labels \(labelred\)/);
    });

    it('rejects something that is not a snapshot', async () => {
      await assert.rejects(
        assertMetricDiff(registry as unknown as FrozenRegistry, 1, 'some_gauge'),
        (error: Error) => error instanceof TypeError && /FrozenRegistry that saveRegistry\(\) returned/.test(error.message),
      );
    });
  });

  describe('assertMetricNoDiff', () => {
    it('passes when the value did not change, fails when it did (fixed from django-prometheus)', async () => {
      const frozen = await saveRegistry(registry);
      await assertMetricNoDiff(frozen, 'some_gauge', {}, registry);
      someGauge.set(43);
      assert.equal(
        await failureOf(() => assertMetricNoDiff(frozen, 'some_gauge', {}, registry)),
        [
          'assertMetricNoDiff: some_gauge changed by 1, expected no change',
          '  before: 42',
          '  after:  43',
          '  all series of some_gauge in the registry under test:',
          '    some_gauge 43',
        ].join('\n'),
      );
    });

    it('passes for a labelled series that was never created, and fails on a label typo', async () => {
      const counter = new Counter({ name: 'jobs_total', help: 'c', labelNames: ['kind'], registers: [registry] });
      const frozen = await saveRegistry(registry);
      counter.inc({ kind: 'a' });
      await assertMetricNoDiff(frozen, 'jobs_total', { kind: 'b' }, registry);
      await failureOf(() => assertMetricNoDiff(frozen, 'jobs_total', { kind: 'a' }, registry));
      assert.match(await failureOf(() => assertMetricNoDiff(frozen, 'jobs_total', { knd: 'a' }, registry)), /its series carry the labels \(kind\)/);
    });
  });

  describe('assertMetricCompare', () => {
    it('passes the values before and after to the predicate', async () => {
      const frozen = await saveRegistry(registry);
      someGauge.set(50);
      const seen: Array<[number, number]> = [];
      await assertMetricCompare(frozen, (before, after) => {
        seen.push([before, after]);
        return after > before;
      }, 'some_gauge', {}, registry);
      assert.deepEqual(seen, [[42, 50]]);
    });

    it('fails when the predicate rejects the change, showing the predicate, before and after', async () => {
      const frozen = await saveRegistry(registry);
      labelledGauge.set({ labelred: 'pink', labelblue: 'indigo' }, 0);
      const message = await failureOf(() =>
        assertMetricCompare(frozen, (before, after) => after > before, 'some_labelled_gauge', { labelred: 'pink', labelblue: 'indigo' }, registry),
      );
      assert.match(
        message,
        /^assertMetricCompare: some_labelled_gauge\{labelred="pink",labelblue="indigo"\} changed in a way the predicate rejected: \(before, after\) => after > before\n {2}before: 1\n {2}after: {2}0\n {2}all series of some_labelled_gauge/,
      );
    });

    it('treats only `true` as a pass', async () => {
      const frozen = await saveRegistry(registry);
      await failureOf(() => assertMetricCompare(frozen, (() => 1) as unknown as () => boolean, 'some_gauge', {}, registry));
    });
  });
});

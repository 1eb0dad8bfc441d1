import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Test, type TestingModule } from '@nestjs/testing';
import { makeCounterProvider, PROMETHEUS_CONFIG, type PrometheusConfig } from 'nest-prometheus';
import { getMetric, getTestRegistry, PrometheusTestingModule } from 'nest-prometheus/testing';
import { register, Registry } from 'prom-client';

describe('PrometheusTestingModule', () => {
  const opened: TestingModule[] = [];
  const compile = async (...imports: Parameters<typeof Test.createTestingModule>[0]['imports'] & object): Promise<TestingModule> => {
    const moduleRef = await Test.createTestingModule({ imports }).compile();
    opened.push(moduleRef);
    await moduleRef.init();
    return moduleRef;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((moduleRef) => moduleRef.close()));
  });

  it('gives every app a fresh registry of its own, never the global register', async () => {
    const first = getTestRegistry(await compile(PrometheusTestingModule.forRoot()));
    const second = getTestRegistry(await compile(PrometheusTestingModule.forRoot()));
    assert.ok(first instanceof Registry);
    assert.notEqual(first, register);
    assert.notEqual(first, second);
  });

  it('gives two apps of one module class, declared once, two registries', async () => {
    const shared = PrometheusTestingModule.forRoot();
    const first = getTestRegistry(await compile(shared));
    const second = getTestRegistry(await compile(shared));
    assert.notEqual(first, second);
  });

  it('keeps the state of one test app out of the next', async () => {
    const counter = makeCounterProvider({ name: 'orders_total', help: 'Orders placed' });
    const first = await compile(PrometheusTestingModule.forRoot(), { module: class OrdersModule {}, providers: [counter], exports: [counter] });
    (first.get(counter.provide) as { inc(n: number): void }).inc(5);
    assert.equal(await getMetric('orders_total', {}, getTestRegistry(first)), 5);
    const second = await compile(PrometheusTestingModule.forRoot(), { module: class OrdersModule {}, providers: [counter], exports: [counter] });
    assert.equal(await getMetric('orders_total', {}, getTestRegistry(second)), 0);
    assert.equal(await getMetric('orders_total'), undefined, 'nothing reached the global register');
  });

  it('collects no default metrics unless asked', async () => {
    const quiet = getTestRegistry(await compile(PrometheusTestingModule.forRoot()));
    assert.equal(quiet.getSingleMetric('process_cpu_user_seconds_total'), undefined);
    const withDefaults = getTestRegistry(await compile(PrometheusTestingModule.forRoot({ defaultMetrics: true })));
    assert.notEqual(withDefaults.getSingleMetric('process_cpu_user_seconds_total'), undefined);
  });

  it('uses a registry it is given', async () => {
    const registry = new Registry();
    assert.equal(getTestRegistry(await compile(PrometheusTestingModule.forRoot({ registry }))), registry);
  });

  it('reads no PROMETHEUS_* environment variable: no export port, no namespace from the shell', async () => {
    const saved = { ...process.env };
    process.env.PROMETHEUS_METRICS_EXPORT_PORT = '9464';
    process.env.PROMETHEUS_METRICS_EXPORT_PORT_RANGE = '9464-9470';
    process.env.PROMETHEUS_METRIC_NAMESPACE = 'from_env';
    process.env.PROMETHEUS_HTTP_METRICS = 'false';
    try {
      const config = (await compile(PrometheusTestingModule.forRoot())).get<PrometheusConfig>(PROMETHEUS_CONFIG);
      assert.deepEqual({ ...config.export }, { port: undefined, portRange: undefined, address: undefined, token: undefined, threaded: false });
      assert.equal(config.namespace, '');
      assert.notEqual(config.http, false);
    } finally {
      process.env = saved;
    }
  });

  it('refuses an export option', () => {
    assert.throws(
      () => PrometheusTestingModule.forRoot({ export: { port: 9464 } } as never),
      /PrometheusTestingModule: option `export` is not accepted; a test app never opens a metrics port/,
    );
  });
});

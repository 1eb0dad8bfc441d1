// PrometheusTestingModule in a real Nest app under whichever runner runs this file (Jest, Vitest,
// node:test). Plain JavaScript: Nest's decorators are applied as functions, so no runner needs a
// TypeScript or decorator transform.
import assert from 'node:assert/strict';
import { Controller, Inject, Module, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getMetricToken, makeCounterProvider } from 'nest-prometheus';
import { assertMetricDiff, getMetric, getTestRegistry, PrometheusTestingModule, saveRegistry } from 'nest-prometheus/testing';
import { register } from 'prom-client';

const { describe, it, afterEach } = typeof globalThis.describe === 'function' ? globalThis : await import('node:test');

class OrdersController {
  constructor(orders) {
    this.orders = orders;
  }

  place(kind) {
    this.orders.inc({ kind });
    return { placed: kind };
  }
}
Inject(getMetricToken('shop_orders_total'))(OrdersController, undefined, 0);
Controller('orders')(OrdersController);
Post(':kind')(OrdersController.prototype, 'place', Object.getOwnPropertyDescriptor(OrdersController.prototype, 'place'));
Param('kind')(OrdersController.prototype, 'place', 0);

class OrdersModule {}
Module({
  controllers: [OrdersController],
  providers: [makeCounterProvider({ name: 'shop_orders_total', help: 'Orders placed', labelNames: ['kind'] })],
})(OrdersModule);

describe('PrometheusTestingModule in a Nest app', () => {
  const apps = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  async function start() {
    const moduleRef = await Test.createTestingModule({ imports: [PrometheusTestingModule.forRoot(), OrdersModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return { app, url: await app.getUrl() };
  }

  it('counts a real request on the app`s own registry', async () => {
    const { app, url } = await start();
    const snapshot = await saveRegistry(getTestRegistry(app));
    const response = await fetch(`${url}/orders/book`, { method: 'POST' });
    assert.equal(response.status, 201);
    // Text, not response.json(): under Jest, fetch's objects come from another realm and never
    // deep-strict-equal a literal of the test's own realm.
    assert.equal(await response.text(), '{"placed":"book"}');
    await assertMetricDiff(snapshot, 1, 'shop_orders_total', { kind: 'book' });
    assert.equal(await getMetric('shop_orders_total', { kind: 'book' }), undefined, 'the global register saw nothing');
    assert.equal(register.getSingleMetric('shop_orders_total'), undefined);
  });

  it('starts the next app from a clean registry', async () => {
    const { app } = await start();
    const registry = getTestRegistry(app);
    const orders = (await registry.getMetricsAsJSON()).find((metric) => metric.name === 'shop_orders_total');
    assert.deepEqual(orders?.values, [], 'no series left over from the previous app');
    assert.equal(await getMetric('nestjs_http_requests_before_middlewares_total', {}, registry), 0);
  });
});

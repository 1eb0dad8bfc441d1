import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Controller, HttpCode, Module, Param, Post } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from 'nest-prometheus';
import { assertMetricDiff, assertMetricNoDiff, getTestRegistry, PrometheusTestingModule, saveRegistry } from 'nest-prometheus/testing';
import type { Counter } from 'prom-client';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';

@Controller('orders')
class OrdersController {
  constructor(@InjectMetric('shop_orders_total') private readonly orders: Counter<'kind'>) {}

  @Post(':kind')
  @HttpCode(201)
  place(@Param('kind') kind: string): { placed: string } {
    this.orders.inc({ kind });
    return { placed: kind };
  }
}

@Module({
  imports: [PrometheusTestingModule.forRoot()],
  controllers: [OrdersController],
  providers: [makeCounterProvider({ name: 'shop_orders_total', help: 'Orders placed', labelNames: ['kind'] })],
})
class ShopModule {}

for (const adapter of ADAPTERS) {
  describe(`testing helpers against a real app (${adapter})`, () => {
    const apps: StartedApp[] = [];
    after(() => Promise.all(apps.map((app) => app.close())));

    it('sees the counter a request incremented, on the app`s own registry', async () => {
      const shop = await startApp(ShopModule, adapter);
      apps.push(shop);
      const registry = getTestRegistry(shop.app);
      const before = await saveRegistry(registry);

      const response = await fetch(`${shop.url}/orders/book`, { method: 'POST' });
      assert.equal(response.status, 201);
      assert.deepEqual(await response.json(), { placed: 'book' });

      await assertMetricDiff(before, 1, 'shop_orders_total', { kind: 'book' });
      await assertMetricNoDiff(before, 'shop_orders_total', { kind: 'pen' });
      await assert.rejects(assertMetricDiff(before, 2, 'shop_orders_total', { kind: 'book' }), /changed by 1, expected a change of 2/);
      const scraped = await (await fetch(`${shop.url}/metrics`)).text();
      assert.match(scraped, /^shop_orders_total\{kind="book"\} 1$/m);
    });
  });
}

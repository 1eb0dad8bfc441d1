import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectMetric, makeCounterProvider } from 'nest-prometheus';
import { assertMetricDiff, assertMetricNoDiff, getTestRegistry, PrometheusTestingModule, saveRegistry } from 'nest-prometheus/testing';
import type { Counter } from 'prom-client';

@Controller('orders')
class OrdersController {
  constructor(@InjectMetric('shop_orders_total') private readonly orders: Counter<'kind'>) {}

  @Post(':kind')
  place(@Param('kind') kind: string): { placed: string } {
    this.orders.inc({ kind });
    return { placed: kind };
  }
}

@Module({
  controllers: [OrdersController],
  providers: [makeCounterProvider({ name: 'shop_orders_total', help: 'Orders placed', labelNames: ['kind'] })],
})
class OrdersModule {}

describe('orders metrics', () => {
  let app: INestApplication;
  let url: string;

  before(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PrometheusTestingModule.forRoot(), OrdersModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(() => app.close());

  it('counts a placed order', async () => {
    const snapshot = await saveRegistry(getTestRegistry(app));

    const response = await fetch(`${url}/orders/book`, { method: 'POST' });
    assert.equal(response.status, 201);

    await assertMetricDiff(snapshot, 1, 'shop_orders_total', { kind: 'book' });
    await assertMetricNoDiff(snapshot, 'shop_orders_total', { kind: 'pen' });
    await assertMetricDiff(snapshot, 1, 'nestjs_http_requests_total_by_view_transport_method_total', {
      view: 'OrdersController.place',
      transport: 'http',
      method: 'POST',
    });
  });
});

// The example of docs/migrating-from-willsoto.md, run for real: the code between the docs markers is
// exactly the code block of that page (checked below), and a request to the app moves the counter.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';

// docs:start
import { Controller, Injectable, Module, Post } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, PrometheusModule } from 'nest-prometheus';
import { Registry, type Counter } from 'prom-client';

@Injectable()
export class OrdersService {
  constructor(@InjectMetric('orders_placed_total') private readonly placed: Counter<'channel'>) {}

  place(): void {
    this.placed.inc({ channel: 'web' });
  }
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  create(): { ok: true } {
    this.orders.place();
    return { ok: true };
  }
}

@Module({
  controllers: [OrdersController],
  providers: [
    OrdersService,
    makeCounterProvider({ name: 'orders_placed_total', help: 'Orders placed', labelNames: ['channel'] }),
  ],
})
export class OrdersModule {}

export function appModule(registry?: Registry) {
  @Module({
    // was: PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true } })
    imports: [PrometheusModule.forRoot({ registry, controller: { path: 'metrics' } }), OrdersModule],
  })
  class AppModule {}
  return AppModule;
}
// docs:end

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('docs/migrating-from-willsoto.md', () => {
  let app: INestApplication;
  let url: string;
  const registry = new Registry();

  before(async () => {
    app = await NestFactory.create(appModule(registry), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(() => app.close());

  it('shows exactly the code this test runs', () => {
    const page = readFileSync(resolve(ROOT, 'docs/migrating-from-willsoto.md'), 'utf8');
    const shown = /```ts\n([\s\S]*?)\n```/.exec(page)?.[1];
    const source = readFileSync(resolve(ROOT, 'test/docs/migrating-from-willsoto.spec.ts'), 'utf8');
    const tested = /\/\/ docs:start\n([\s\S]*?)\n\/\/ docs:end/.exec(source)?.[1];
    assert.ok(tested !== undefined && tested.length > 0, 'the docs markers are in this file');
    assert.equal(shown, tested);
  });

  it('the migrated app counts with the same provider and decorator, and serves /metrics', async () => {
    const snapshot = await saveRegistry(registry);
    assert.equal((await fetch(`${url}/orders`, { method: 'POST' })).status, 201);
    await assertMetricDiff(snapshot, 1, 'orders_placed_total', { channel: 'web' });
    await assertMetricDiff(snapshot, 1, 'nestjs_http_requests_total_by_view_transport_method_total', {
      view: 'OrdersController.create',
      transport: 'http',
      method: 'POST',
    });
    const body = await (await fetch(`${url}/metrics`)).text();
    assert.match(body, /^orders_placed_total\{channel="web"\} 1$/m);
  });
});

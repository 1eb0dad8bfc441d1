import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { assertMetricDiff, getMetric, getTestRegistry, PrometheusTestingModule, saveRegistry } from 'nest-prometheus/testing';
import { register } from 'prom-client';
import { AppModule } from '../src/app.module.js';
import { ItemsModule } from '../src/items.module.js';

const BY_VIEW = 'nestjs_http_requests_total_by_view_transport_method_total';
const BY_STATUS = 'nestjs_http_responses_total_by_status_view_method_total';

describe.each(['express', 'fastify'] as const)('nest-prometheus in a NestJS 12 ESM app under Vitest (%s)', (adapter) => {
  let app: INestApplication | undefined;
  let url = '';

  afterEach(async () => {
    await app?.close();
    app = undefined;
    register.clear();
  });

  async function start(imports: unknown[]): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({ imports: imports as never }).compile();
    const created = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
    app = created;
    await created.listen(0, '127.0.0.1');
    url = (await created.getUrl()).replace('[::1]', '127.0.0.1');
    return created;
  }

  it('counts requests per view and status on the test registry (PrometheusTestingModule)', async () => {
    const started = await start([PrometheusTestingModule.forRoot(), ItemsModule]);
    const registry = getTestRegistry(started);
    const before = await saveRegistry(registry);

    expect((await fetch(`${url}/items/42`)).status).toBe(200);
    expect((await fetch(`${url}/items/missing`)).status).toBe(404);
    expect((await fetch(`${url}/items/health/check`)).status).toBe(200);

    await assertMetricDiff(before, 2, BY_VIEW, { view: 'ItemsController.getOne', transport: 'http', method: 'GET' });
    await assertMetricDiff(before, 1, BY_STATUS, { status: '404', view: 'ItemsController.getOne', method: 'GET' });
    await assertMetricDiff(before, 1, 'nestjs_http_exceptions_total_by_view_total', { view: 'ItemsController.getOne' });
    await assertMetricDiff(before, 1, 'shop_item_views_total');
    expect(await getMetric(BY_VIEW, { view: 'ItemsController.health', transport: 'http', method: 'GET' }, registry)).toBeUndefined();
    expect(register.getSingleMetric('shop_item_views_total')).toBeUndefined();
  });

  it('serves /metrics from the app module (PrometheusModule)', async () => {
    await start([AppModule]);
    const before = await saveRegistry();
    expect((await fetch(`${url}/items/7`)).status).toBe(200);
    await assertMetricDiff(before, 1, BY_VIEW, { view: 'ItemsController.getOne', transport: 'http', method: 'GET' });
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^shop_item_views_total 1$/m);
  });
});

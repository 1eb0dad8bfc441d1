import { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { PrometheusModule } from 'nest-prometheus';
import { assertMetricDiff, assertMetricNoDiff, getMetric, getTestRegistry, PrometheusTestingModule, saveRegistry } from 'nest-prometheus/testing';
import { register } from 'prom-client';
import { AppModule } from '../src/app.module';
import { ItemsModule } from '../src/items.module';

const BY_VIEW = 'nestjs_http_requests_total_by_view_transport_method_total';
const BY_STATUS = 'nestjs_http_responses_total_by_status_view_method_total';

describe.each(['express', 'fastify'] as const)('nest-prometheus in a NestJS 11 CommonJS app (%s)', (adapter) => {
  let app: INestApplication;
  let url: string;

  afterEach(async () => {
    await app?.close();
    register.clear();
  });

  async function start(imports: unknown[]): Promise<void> {
    const moduleRef = await Test.createTestingModule({ imports: imports as never }).compile();
    app = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }

  it('counts requests per view and status on the test registry (PrometheusTestingModule)', async () => {
    await start([PrometheusTestingModule.forRoot(), ItemsModule]);
    const registry = getTestRegistry(app);
    const before = await saveRegistry(registry);

    expect((await fetch(`${url}/items/42`)).status).toBe(200);
    expect((await fetch(`${url}/items/missing`)).status).toBe(404);
    expect((await fetch(`${url}/items/health/check`)).status).toBe(200);

    await assertMetricDiff(before, 2, BY_VIEW, { view: 'ItemsController.getOne', transport: 'http', method: 'GET' });
    await assertMetricDiff(before, 1, BY_STATUS, { status: '200', view: 'ItemsController.getOne', method: 'GET' });
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
    const after = await saveRegistry();
    const body = await (await fetch(`${url}/metrics`)).text();
    expect(body).toMatch(/^shop_item_views_total 1$/m);
    await assertMetricNoDiff(after, 'shop_item_views_total');
    expect(PrometheusModule).toBeDefined();
  });
});

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  Controller,
  Get,
  Injectable,
  Module,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  InjectMetric,
  InjectRegistry,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
  makeSummaryProvider,
  PROMETHEUS_CONFIG,
  PrometheusModule,
  type PrometheusConfig,
  type PrometheusModuleOptions,
} from 'nest-prometheus';
import { Counter, Registry, register as globalRegistry, type Gauge, type Histogram, type Summary } from 'prom-client';
import { assertMetricEqual } from 'nest-prometheus/testing';
import { ADAPTERS, startApp, type StartedApp } from '../support/adapters.js';

const opened: StartedApp[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((app) => app.close()));
});
async function start(...args: Parameters<typeof startApp>): Promise<StartedApp> {
  const app = await startApp(...args);
  opened.push(app);
  return app;
}

/** A feature module that only sees the (global) Prometheus module through injection. */
function featureModule() {
  @Injectable()
  class OrdersService {
    constructor(
      @InjectMetric('orders_total') readonly orders: Counter<'kind'>,
      @InjectMetric('queue_depth') readonly depth: Gauge,
      @InjectMetric('order_seconds') readonly seconds: Histogram,
      @InjectMetric('order_size') readonly size: Summary,
      @InjectRegistry() readonly registry: Registry,
    ) {}
  }
  @Controller('orders')
  class OrdersController {
    constructor(private readonly service: OrdersService) {}
    @Get()
    place(): { ok: true } {
      this.service.orders.inc({ kind: 'web' });
      this.service.depth.set(3);
      this.service.seconds.observe(0.2);
      this.service.size.observe(5);
      return { ok: true };
    }
  }
  @Module({
    controllers: [OrdersController],
    providers: [
      OrdersService,
      makeCounterProvider({ name: 'orders_total', help: 'Orders placed', labelNames: ['kind'] }),
      makeGaugeProvider({ name: 'queue_depth', help: 'Queue depth' }),
      makeHistogramProvider({ name: 'order_seconds', help: 'Order time', buckets: [0.1, 1] }),
      makeSummaryProvider({ name: 'order_size', help: 'Order size', percentiles: [0.5] }),
    ],
  })
  class OrdersModule {}
  return OrdersModule;
}

async function scrape(app: StartedApp, path = '/metrics'): Promise<{ status: number; body: string }> {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: await res.text() };
}

@Injectable()
class NamespaceOptions {
  createPrometheusOptions(): PrometheusModuleOptions {
    return { registry: sharedAsyncRegistry, namespace: 'fromclass', defaultMetrics: false };
  }
}
const sharedAsyncRegistry = new Registry();

for (const adapter of ADAPTERS) {
  describe(`PrometheusModule registration (${adapter})`, () => {
    it('forRoot: custom metrics from another module appear on /metrics (global module)', async () => {
      const registry = new Registry();
      @Module({ imports: [PrometheusModule.forRoot({ registry }), featureModule()] })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal((await fetch(`${app.url}/orders`)).status, 200);
      const { status, body } = await scrape(app);
      assert.equal(status, 200);
      assert.match(body, /^orders_total\{kind="web"\} 1$/m);
      assert.match(body, /^process_cpu_user_seconds_total /m);
      await assertMetricEqual(1, 'orders_total', { kind: 'web' }, registry);
      await assertMetricEqual(3, 'queue_depth', {}, registry);
      await assertMetricEqual(1, 'order_seconds_bucket', { le: '1' }, registry);
      await assertMetricEqual(0, 'order_seconds_bucket', { le: '0.1' }, registry);
      await assertMetricEqual(1, 'order_size_count', {}, registry);
    });

    it('forRootAsync with useFactory + ConfigModule/ConfigService', async () => {
      const registry = new Registry();
      @Module({
        imports: [
          PrometheusModule.forRootAsync({
            imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ METRICS_NS: 'shop' })] })],
            inject: [ConfigService],
            useFactory: (config: ConfigService) => ({ registry, namespace: config.getOrThrow<string>('METRICS_NS') }),
            controller: { path: 'internal/metrics' },
          }),
        ],
      })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal(app.app.get<PrometheusConfig>(PROMETHEUS_CONFIG).namespace, 'shop');
      assert.equal((await scrape(app, '/internal/metrics')).status, 200);
      assert.equal((await scrape(app)).status, 404);
    });

    it('forRootAsync with useClass', async () => {
      @Module({ imports: [PrometheusModule.forRootAsync({ useClass: NamespaceOptions })] })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal(app.app.get<PrometheusConfig>(PROMETHEUS_CONFIG).namespace, 'fromclass');
      const { body } = await scrape(app);
      assert.doesNotMatch(body, /process_cpu_user_seconds_total/, 'defaultMetrics: false was honoured');
    });

    it('forRootAsync with useExisting', async () => {
      @Module({ providers: [NamespaceOptions], exports: [NamespaceOptions] })
      class OptionsModule {}
      @Module({ imports: [PrometheusModule.forRootAsync({ imports: [OptionsModule], useExisting: NamespaceOptions })] })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal(app.app.get<PrometheusConfig>(PROMETHEUS_CONFIG).namespace, 'fromclass');
    });

    it('an async factory that returns `controller` fails with a message saying where it belongs', async () => {
      @Module({
        imports: [PrometheusModule.forRootAsync({ useFactory: () => ({ registry: new Registry(), controller: false }) as PrometheusModuleOptions })],
      })
      class AppModule {}
      await assert.rejects(start(AppModule, adapter), /option `controller` was returned by an async options factory/);
    });

    it('importing the module twice on one registry does not throw and counts once', async () => {
      const registry = new Registry();
      @Module({ imports: [PrometheusModule.forRoot({ registry, controller: false }), featureModule()] })
      class InnerModule {}
      @Module({ imports: [PrometheusModule.forRoot({ registry }), InnerModule] })
      class AppModule {}
      const app = await start(AppModule, adapter);
      await fetch(`${app.url}/orders`);
      const { body } = await scrape(app);
      await assertMetricEqual(1, 'orders_total', { kind: 'web' }, registry);
      assert.equal(body.match(/^# TYPE process_cpu_user_seconds_total/gm)?.length, 1);
    });

    it('two apps in one process on the global registry: no "already registered", metrics shared', async () => {
      @Module({ imports: [PrometheusModule.forRoot(), featureModule()] })
      class AppModule {}
      const first = await start(AppModule, adapter);
      const second = await start(AppModule, adapter);
      await fetch(`${first.url}/orders`);
      await fetch(`${second.url}/orders`);
      await assertMetricEqual(2, 'orders_total', { kind: 'web' });
      assert.equal(globalRegistry.getSingleMetric('orders_total') instanceof Counter, true);
      await first.close();
      // a "hot reload": the app is created again in the same process
      const third = await start(AppModule, adapter);
      assert.equal((await scrape(third)).status, 200);
      globalRegistry.removeSingleMetric('orders_total');
    });

    it('controller: false mounts no route', async () => {
      @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), controller: false })] })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal((await scrape(app)).status, 404);
    });

    it('a custom path, with a global prefix', async () => {
      @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), controller: { path: '/ops/prom/' } })] })
      class AppModule {}
      const app = await start(AppModule, adapter, { configure: (nest) => void nest.setGlobalPrefix('api') });
      assert.equal((await scrape(app, '/api/ops/prom')).status, 200);
      assert.equal((await scrape(app, '/metrics')).status, 404);
    });

    it('a guard on the controller protects it; a decorator marks it public for a global guard', async () => {
      @Injectable()
      class ApiKeyGuard implements CanActivate {
        canActivate(context: ExecutionContext): boolean {
          const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
          return request.headers['x-api-key'] === 'letmein';
        }
      }
      const IS_PUBLIC = Symbol('isPublic');
      const Public = () => SetMetadata(IS_PUBLIC, true);
      @Injectable()
      class DenyAllButPublic implements CanActivate {
        constructor(private readonly reflector: Reflector) {}
        canActivate(context: ExecutionContext): boolean {
          return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
        }
      }
      @Controller('private')
      class PrivateController {
        @Get()
        get(): string {
          return 'secret';
        }
      }
      @Module({
        imports: [
          PrometheusModule.forRoot({ registry: new Registry(), controller: { guards: [ApiKeyGuard] } }),
          PrometheusModule.forRoot({ registry: new Registry(), controller: { path: 'public-metrics', decorators: [Public()] }, isGlobal: false }),
        ],
        controllers: [PrivateController],
        providers: [{ provide: APP_GUARD, useClass: DenyAllButPublic }],
      })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal((await fetch(`${app.url}/private`)).status, 403, 'the global guard is active');
      assert.equal((await scrape(app, '/public-metrics')).status, 200, '@Public() applied to the controller');
      // /metrics is not public: the global guard rejects it before its own guard runs
      assert.equal((await scrape(app)).status, 403);
    });

    it('the guard alone: 403 without the key, 200 with it', async () => {
      @Injectable()
      class ApiKeyGuard implements CanActivate {
        canActivate(context: ExecutionContext): boolean {
          return context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['x-api-key'] === 'k';
        }
      }
      @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), controller: { guards: [ApiKeyGuard] } })] })
      class AppModule {}
      const app = await start(AppModule, adapter);
      assert.equal((await fetch(`${app.url}/metrics`)).status, 403);
      assert.equal((await fetch(`${app.url}/metrics`, { headers: { 'x-api-key': 'k' } })).status, 200);
    });
  });
}

describe('side effects', () => {
  it('forRoot() has no side effect until the module is instantiated', () => {
    const registry = new Registry();
    PrometheusModule.forRoot({ registry });
    PrometheusModule.forRootAsync({ useFactory: () => ({ registry }) });
    assert.equal(registry.getMetricsAsArray().length, 0);
  });
});

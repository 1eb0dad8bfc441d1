import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';
import { Controller, Get, Injectable, Module, SetMetadata, type ExecutionContext, type Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { APP_INTERCEPTOR, NestFactory, Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { HttpMetricsInterceptor, PrometheusModule, type PrometheusModuleOptions } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { lastValueFrom, of } from 'rxjs';
import { ADAPTERS, type StartedApp } from '../support/adapters.js';
import { promlint } from '../support/promlint.js';
import { assertMetricDiff, assertMetricNoDiff, getMetric, saveRegistry } from 'nest-prometheus/testing';
import { startApp as startHttpApp } from '../support/adapters.js';

const P = 'nestjs_http_';

@Controller()
class PlainController {
  @Get('help')
  help(): { help: string } {
    return { help: 'me' };
  }

  @Get('items/:id')
  item(): { item: true } {
    return { item: true };
  }

  @Get('checkout')
  @SetMetadata('feature', 'checkout')
  checkout(): { paid: true } {
    return { paid: true };
  }
}

function appModule(options: PrometheusModuleOptions, extra: { providers?: unknown[] } = {}): object {
  @Module({ imports: [PrometheusModule.forRoot(options)], controllers: [PlainController], providers: (extra.providers ?? []) as never })
  class OptionsModule {}
  return OptionsModule;
}

/** The documented custom-label example: a `feature` label from the handler's metadata. */
@Injectable()
class FeatureMetricsInterceptor extends HttpMetricsInterceptor {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  protected override labels(context: ExecutionContext): Record<string, string> {
    return { feature: this.reflector.get<string | undefined>('feature', context.getHandler()) ?? 'none' };
  }
}

for (const adapter of ADAPTERS) {
  describe(`HTTP metrics options (${adapter})`, () => {
    const apps: StartedApp[] = [];
    const start = async (module: object): Promise<StartedApp> => {
      const app = await startHttpApp(module, adapter);
      apps.push(app);
      return app;
    };
    afterEach(async () => {
      for (const app of apps.splice(0)) await app.close();
    });

    it('does not count paths listed in exclude (strings and RegExps)', async () => {
      const registry = new Registry();
      const app = await start(appModule({ registry, defaultMetrics: false, http: { exclude: ['/help', /^\/items\/\d+$/] } }));
      const s0 = await saveRegistry(registry);
      for (const path of ['/help', '/help?x=1', '/items/1', '/items/abc']) await (await fetch(`${app.url}${path}`)).arrayBuffer();
      await assertMetricDiff(s0, 1, `${P}requests_before_middlewares_total`);
      await assertMetricDiff(s0, 1, `${P}responses_total_by_status_view_method_total`, { status: '200', view: 'PlainController.item', method: 'GET' });
    });

    it('registers and counts nothing with http: false', async () => {
      const registry = new Registry();
      const app = await start(appModule({ registry, defaultMetrics: false, http: false }));
      await (await fetch(`${app.url}/help`)).arrayBuffer();
      const body = await (await fetch(`${app.url}/metrics`)).text();
      assert.doesNotMatch(body, /nestjs_http_/);
      assert.equal((await registry.getMetricsAsJSON()).length, 0);
    });

    it('registers and counts nothing with PROMETHEUS_HTTP_METRICS=false', async () => {
      const registry = new Registry();
      process.env.PROMETHEUS_HTTP_METRICS = 'false';
      try {
        const app = await start(appModule({ registry, defaultMetrics: false }));
        await (await fetch(`${app.url}/help`)).arrayBuffer();
      } finally {
        delete process.env.PROMETHEUS_HTTP_METRICS;
      }
      assert.equal((await registry.getMetricsAsJSON()).length, 0);
    });

    it('prefixes every HTTP metric with the namespace and uses the configured latency buckets', async () => {
      const registry = new Registry();
      const app = await start(appModule({ registry, defaultMetrics: false, namespace: 'shop', latencyBuckets: [0.5, 5] }));
      await (await fetch(`${app.url}/help`)).arrayBuffer();
      const body = await (await fetch(`${app.url}/metrics`)).text();
      const families = [...body.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
      assert.equal(families.length, 19);
      assert.ok(families.every((name) => name.startsWith('shop_nestjs_http_')), families.join(','));
      assert.match(body, /^shop_nestjs_http_requests_latency_seconds_by_view_method_bucket\{view="PlainController.help",method="GET",le="0.5"\} 1$/m);
      assert.match(body, /^shop_nestjs_http_requests_latency_including_middlewares_seconds_bucket\{le="\+Inf"\} 1$/m);
      assert.equal([...body.matchAll(/^shop_nestjs_http_requests_latency_including_middlewares_seconds_bucket/gm)].length, 3);
    });

    it('adds a custom label through an HttpMetricsInterceptor subclass', async (t) => {
      const registry = new Registry();
      const app = await start(
        appModule({ registry, defaultMetrics: false }, { providers: [{ provide: APP_INTERCEPTOR, useClass: FeatureMetricsInterceptor }] }),
      );
      const s0 = await saveRegistry(registry);
      for (const path of ['/checkout', '/checkout', '/help']) await (await fetch(`${app.url}${path}`)).arrayBuffer();
      const d = (name: string, labels: Record<string, string>, expected: number): Promise<void> => assertMetricDiff(s0, expected, P + name, labels);
      await d('responses_total_by_status_view_method_total', { status: '200', view: 'PlainController.checkout', method: 'GET', feature: 'checkout' }, 2);
      await d('responses_total_by_status_view_method_total', { status: '200', view: 'PlainController.help', method: 'GET', feature: 'none' }, 1);
      await d('requests_total_by_view_transport_method_total', { view: 'PlainController.checkout', transport: 'http', method: 'GET', feature: 'checkout' }, 2);
      await d('requests_latency_seconds_by_view_method_count', { view: 'PlainController.checkout', method: 'GET', feature: 'checkout' }, 2);
      await d('responses_total_by_status_total', { status: '200' }, 3);
      const lint = await promlint(await registry.metrics(), t);
      assert.equal(lint.code, 0, lint.output);
    });

    it('instruments an app once when PrometheusModule is imported twice', async () => {
      const registry = new Registry();
      @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, isGlobal: false })] })
      class FeatureModule {}
      @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, controller: false }), FeatureModule], controllers: [PlainController] })
      class TwiceModule {}
      const app = await start(TwiceModule);
      await (await fetch(`${app.url}/help`)).arrayBuffer();
      assert.equal(await getMetric(`${P}requests_before_middlewares_total`, {}, registry), 1);
      assert.equal(await getMetric(`${P}requests_total_by_view_transport_method_total`, { method: 'GET', transport: 'http', view: 'PlainController.help' }, registry), 1);
    });

    it('measures an app built with @nestjs/testing (providers instantiated before the adapter exists)', async () => {
      const registry = new Registry();
      const moduleRef = await Test.createTestingModule({ imports: [appModule({ registry, defaultMetrics: false }) as Type<unknown>] }).compile();
      const app = moduleRef.createNestApplication(adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
      await app.listen(0, '127.0.0.1');
      apps.push({ app, url: '', close: () => app.close() });
      const { port } = app.getHttpServer().address() as { port: number };
      await (await fetch(`http://127.0.0.1:${port}/help`)).arrayBuffer();
      await (await fetch(`http://127.0.0.1:${port}/nope`)).arrayBuffer();
      assert.equal(await getMetric(`${P}requests_total_by_view_transport_method_total`, { method: 'GET', transport: 'http', view: 'PlainController.help' }, registry), 1);
      assert.equal(await getMetric(`${P}responses_total_by_status_view_method_total`, { method: 'GET', status: '404', view: '<unnamed view>' }, registry), 1);
    });

    it('leaves an app without the module untouched in the same process', async () => {
      const registry = new Registry();
      await start(appModule({ registry, defaultMetrics: false }));
      @Module({ controllers: [PlainController] })
      class BareModule {}
      const bare = await start(BareModule);
      const s0 = await saveRegistry(registry);
      const exposition = await registry.metrics();
      assert.match(exposition, /^# TYPE nestjs_http_requests_before_middlewares_total counter$/m);
      assert.deepEqual(await (await fetch(`${bare.url}/help`)).json(), { help: 'me' });
      assert.equal((await fetch(`${bare.url}/nope`)).status, 404);
      assert.equal((await fetch(`${bare.url}/metrics`)).status, 404);
      await assertMetricNoDiff(s0, `${P}requests_before_middlewares_total`);
      await assertMetricNoDiff(s0, `${P}responses_before_middlewares_total`);
      assert.equal(await registry.metrics(), exposition, 'no series of the instrumented app moved');
    });

    it('registers its metrics again after registry.clear()', async () => {
      const registry = new Registry();
      const first = await start(appModule({ registry, defaultMetrics: false }));
      await first.close();
      apps.splice(apps.indexOf(first), 1);
      registry.clear();
      const second = await start(appModule({ registry, defaultMetrics: false }));
      await (await fetch(`${second.url}/help`)).arrayBuffer();
      assert.equal(await getMetric(`${P}requests_before_middlewares_total`, {}, registry), 1);
    });

    it('adds up two apps sharing one registry without registering twice', async () => {
      const registry = new Registry();
      const one = await start(appModule({ registry, defaultMetrics: false }));
      const two = await start(appModule({ registry, defaultMetrics: false }));
      await (await fetch(`${one.url}/help`)).arrayBuffer();
      await (await fetch(`${two.url}/help`)).arrayBuffer();
      await (await fetch(`${two.url}/help`)).arrayBuffer();
      assert.equal(await getMetric(`${P}requests_total_by_view_transport_method_total`, { method: 'GET', transport: 'http', view: 'PlainController.help' }, registry), 3);
      assert.equal(await getMetric(`${P}requests_before_middlewares_total`, {}, registry), 3);
      assert.equal((await registry.getMetricsAsJSON()).filter((m) => m.name === `${P}requests_before_middlewares_total`).length, 1);
    });
  });
}

describe('HTTP metrics outside HTTP', () => {
  const closers: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of closers) await close();
  });

  it('does nothing in an application context without an HTTP adapter', async () => {
    const registry = new Registry();
    const context = await NestFactory.createApplicationContext(appModule({ registry, defaultMetrics: false }), { logger: false });
    closers.push(() => context.close());
    assert.equal((await registry.getMetricsAsJSON()).length, 0);
  });

  it('lets non-HTTP execution contexts pass the interceptor untouched', async () => {
    const interceptor = new FeatureMetricsInterceptor(new Reflector());
    const request = {};
    const context = new ExecutionContextHost([request, {}, {}], PlainController, PlainController.prototype.checkout);
    context.setType('rpc');
    const value = await lastValueFrom(interceptor.intercept(context, { handle: () => of('reply') }));
    assert.equal(value, 'reply');
    assert.deepEqual(Object.getOwnPropertySymbols(request), []);
  });
});

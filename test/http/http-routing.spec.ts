import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, Param, Version, VersioningType, type Type } from '@nestjs/common';
import { PrometheusModule, type ViewLabelMode } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { ADAPTERS, type AdapterName, type StartedApp } from '../support/adapters.js';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import { allSeries } from './support/metric-values.js';
import { startApp as startHttpApp } from '../support/adapters.js';

const P = 'nestjs_http_';

/** Wildcard syntax differs: Express 5 (path-to-regexp 8) names it, Fastify (find-my-way) does not. */
const WILDCARD: Record<AdapterName, string> = { express: 'files/*path', fastify: 'files/*' };

function itemsController(adapter: AdapterName): Type<unknown> {
  @Controller('items')
  class ItemsController {
    @Get(':id')
    getOne(@Param('id') id: string): { id: string } {
      return { id };
    }

    @Get(':id/parts/:part')
    @Version('2')
    getPart(@Param('part') part: string): { part: string } {
      return { part };
    }

    @Get(WILDCARD[adapter])
    getFile(): { file: true } {
      return { file: true };
    }
  }
  return ItemsController;
}

async function start(adapter: AdapterName, registry: Registry, viewLabel: ViewLabelMode): Promise<StartedApp> {
  @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, http: { viewLabel } })], controllers: [itemsController(adapter)] })
  class RoutingModule {}
  return startHttpApp(RoutingModule, adapter, {
    configure: (app) => {
      app.setGlobalPrefix('api');
      app.enableVersioning({ type: VersioningType.URI, defaultVersion: '1' });
    },
  });
}

for (const adapter of ADAPTERS) {
  describe(`HTTP views with global prefix, URI versioning, params and wildcards (${adapter})`, () => {
    const byHandler = new Registry();
    const byRoute = new Registry();
    let handlerApp: StartedApp;
    let routeApp: StartedApp;
    before(async () => {
      handlerApp = await start(adapter, byHandler, 'handler');
      routeApp = await start(adapter, byRoute, 'route');
    });
    after(async () => {
      await handlerApp.close();
      await routeApp.close();
    });

    const hit = async (base: string): Promise<void> => {
      for (const path of ['/api/v1/items/42', '/api/v1/items/43', '/api/v2/items/42/parts/7', '/api/v1/items/files/a/b.txt', '/api/v3/items/42']) {
        await (await fetch(`${base}${path}`)).arrayBuffer();
      }
    };

    it("labels views ControllerClass.handlerName with viewLabel: 'handler' (default)", async () => {
      const s0 = await saveRegistry(byHandler);
      await hit(handlerApp.url);
      const d = (view: string, expected: number, status = '200'): Promise<void> =>
        assertMetricDiff(s0, expected, `${P}responses_total_by_status_view_method_total`, { status, view, method: 'GET' });
      await d('ItemsController.getOne', 2);
      await d('ItemsController.getPart', 1);
      await d('ItemsController.getFile', 1);
      await d('<unnamed view>', 1, '404');
      assert.equal((await allSeries(byHandler)).some((k) => /items\/4|b\.txt/.test(k)), false);
    });

    it("labels views with the full route template with viewLabel: 'route'", async () => {
      const s0 = await saveRegistry(byRoute);
      await hit(routeApp.url);
      const d = (view: string, expected: number, status = '200'): Promise<void> =>
        assertMetricDiff(s0, expected, `${P}responses_total_by_status_view_method_total`, { status, view, method: 'GET' });
      await d('/api/v1/items/:id', 2);
      await d('/api/v2/items/:id/parts/:part', 1);
      await d(`/api/v1/items/${WILDCARD[adapter]}`, 1);
      await d('<unnamed view>', 1, '404');
      await assertMetricDiff(s0, 2, `${P}requests_latency_seconds_by_view_method_count`, { view: '/api/v1/items/:id', method: 'GET' });
      await assertMetricDiff(s0, 2, `${P}requests_total_by_view_transport_method_total`, { view: '/api/v1/items/:id', transport: 'http', method: 'GET' });
    });
  });
}

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Controller, Get, Module, Param, Version, VersioningType, type Type } from '@nestjs/common';
import { PrometheusModule, type ViewLabelMode } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { ADAPTERS, type AdapterName, type StartedApp } from '../support/adapters.js';
import { delta } from './support/diff.js';
import { snapshot } from './support/metric-values.js';
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
      const s0 = await snapshot(byHandler);
      await hit(handlerApp.url);
      const s1 = await snapshot(byHandler);
      const d = (view: string, status = '200'): number => delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status, view, method: 'GET' });
      assert.equal(d('ItemsController.getOne'), 2);
      assert.equal(d('ItemsController.getPart'), 1);
      assert.equal(d('ItemsController.getFile'), 1);
      assert.equal(d('<unnamed view>', '404'), 1);
      assert.equal([...s1.keys()].some((k) => /items\/4|b\.txt/.test(k)), false);
    });

    it("labels views with the full route template with viewLabel: 'route'", async () => {
      const s0 = await snapshot(byRoute);
      await hit(routeApp.url);
      const s1 = await snapshot(byRoute);
      const d = (view: string, status = '200'): number => delta(s0, s1, `${P}responses_total_by_status_view_method_total`, { status, view, method: 'GET' });
      assert.equal(d('/api/v1/items/:id'), 2);
      assert.equal(d('/api/v2/items/:id/parts/:part'), 1);
      assert.equal(d(`/api/v1/items/${WILDCARD[adapter]}`), 1);
      assert.equal(d('<unnamed view>', '404'), 1);
      assert.equal(delta(s0, s1, `${P}requests_latency_seconds_by_view_method_count`, { view: '/api/v1/items/:id', method: 'GET' }), 2);
      assert.equal(delta(s0, s1, `${P}requests_total_by_view_transport_method_total`, { view: '/api/v1/items/:id', transport: 'http', method: 'GET' }), 2);
    });
  });
}

import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type CanActivate, Controller, Get, Module, type NestMiddleware, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { MetricsPortInUseError, PrometheusExporterService, PrometheusModule } from 'nest-prometheus';
import { Counter, Registry } from 'prom-client';
import { ADAPTERS, startApp } from '../support/adapters.js';
import { freePorts, holdPorts } from '../fixtures/child-process.js';

class DenyAllGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

class BrokenMiddleware implements NestMiddleware {
  use(): void {
    throw new Error('broken middleware');
  }
}

@Controller('items')
class ItemsController {
  @Get()
  list(): string[] {
    return [];
  }
}

function makeRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'exporter_module_total', help: 'A counter for the exporter module tests.', registers: [registry] }).inc(7);
  return registry;
}

for (const adapter of ADAPTERS) {
  describe(`PrometheusExporterService (${adapter})`, () => {
    const closers: Array<() => Promise<void>> = [];
    after(async () => {
      for (const close of closers.reverse()) await close();
    });

    it('starts the port at bootstrap, serves what the controller serves, and closes it on app.close()', async () => {
      const registry = makeRegistry();
      const [port] = await freePorts(1);
      @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, export: { port, address: '127.0.0.1' } })] })
      class AppModule {}
      const started = await startApp(AppModule, adapter);
      let closed = false;
      closers.push(async () => {
        if (!closed) await started.close();
      });
      assert.equal(started.app.get(PrometheusExporterService).port, port);
      const viaPort = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(viaPort.status, 200);
      assert.equal(viaPort.headers.get('content-type'), registry.contentType);
      const body = await viaPort.text();
      assert.match(body, /^exporter_module_total 7$/m);
      assert.equal(body, await (await fetch(`${started.url}/metrics`)).text());

      await started.close();
      closed = true;
      await assert.rejects(fetch(`http://127.0.0.1:${port}/metrics`));
    });

    it('is independent of Nest: a deny-all global guard, a broken middleware and a closed app server do not affect it', async () => {
      const registry = makeRegistry();
      const [port] = await freePorts(1);
      @Module({
        imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false, export: { port, address: '127.0.0.1' } })],
        controllers: [ItemsController],
        providers: [{ provide: APP_GUARD, useClass: DenyAllGuard }],
      })
      class AppModule implements NestModule {
        configure(consumer: MiddlewareConsumer): void {
          consumer.apply(BrokenMiddleware).forRoutes('*');
        }
      }
      const started = await startApp(AppModule, adapter);
      closers.push(() => started.close());
      assert.equal((await fetch(`${started.url}/items`)).status, 500, 'the broken middleware answers app routes');
      assert.notEqual((await fetch(`${started.url}/metrics`)).status, 200, 'the controller is behind the guard and middleware');
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`)).status, 200);

      const httpServer = started.app.getHttpServer() as import('node:http').Server;
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
      await assert.rejects(fetch(`${started.url}/items`));
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200);
      assert.match(await res.text(), /exporter_module_total 7/);
    });

    it('a taken export.port fails the app at startup with a clear error', async () => {
      const held = await holdPorts(1);
      closers.push(() => held.release());
      @Module({ imports: [PrometheusModule.forRoot({ registry: makeRegistry(), defaultMetrics: false, export: { port: held.ports[0], address: '127.0.0.1' } })] })
      class AppModule {}
      await assert.rejects(startApp(AppModule, adapter), (error: unknown) => {
        assert.ok(error instanceof MetricsPortInUseError);
        assert.match(error.message, new RegExp(`metrics port ${held.ports[0]}`));
        return true;
      });
    });

    it('a fully taken export.portRange lets the app start without the exporter', async () => {
      const held = await holdPorts(2);
      closers.push(() => held.release());
      @Module({ imports: [PrometheusModule.forRoot({ registry: makeRegistry(), defaultMetrics: false, export: { portRange: held.ports, address: '127.0.0.1' } })] })
      class AppModule {}
      const started = await startApp(AppModule, adapter);
      closers.push(() => started.close());
      assert.equal(started.app.get(PrometheusExporterService).port, null);
      assert.equal((await fetch(`${started.url}/metrics`)).status, 200);
    });

    it('starts nothing when no port is configured', async () => {
      @Module({ imports: [PrometheusModule.forRoot({ registry: makeRegistry(), defaultMetrics: false })] })
      class AppModule {}
      const started = await startApp(AppModule, adapter);
      closers.push(() => started.close());
      assert.equal(started.app.get(PrometheusExporterService).port, null);
    });
  });
}

// One benchmark server: `node build/bench/server/main.js --variant=<name> --adapter=<express|fastify>`.
// Prints `LISTENING <port>` once it accepts requests; exits on SIGTERM or when the driver goes away.
// On the IPC message HEAP_REQUEST it runs a full GC and answers { heapUsed } (bytes); on
// MINOR_GC_REQUEST a scavenge, answering { minorGc: true }.
// BENCH_SEED_SERIES=<n> adds a histogram with n series (scrape benchmark; nest-prometheus variant).
import 'reflect-metadata';
import type { Server } from 'node:http';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { applyDecompositionPatches, decompositionModule, installFloor, isDecompositionVariant, isFloorVariant, type DecompositionVariant } from './decomposition.js';
import { ItemsController } from './items.controller.js';
import { startRawServer } from './raw-server.js';
import { HEAP_REQUEST, MINOR_GC_REQUEST, type AdapterName, type VariantName } from './variants.js';

function argument(name: string): string {
  const prefix = `--${name}=`;
  const value = process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
  if (value === undefined) throw new Error(`missing ${prefix}…`);
  return value;
}

function appModule(imports: (Type<unknown> | DynamicModule)[], controllers: Type<unknown>[] = []): Type<unknown> {
  @Module({ imports, controllers: [ItemsController, ...controllers] })
  class BenchAppModule {}
  return BenchAppModule;
}

/**
 * The app module of a variant. Variant-specific packages are imported only here, because some have
 * import-time side effects (willsoto's module collects default metrics when its file is loaded).
 */
async function variantModule(variant: Exclude<VariantName, 'raw'> | DecompositionVariant): Promise<Type<unknown>> {
  if (isFloorVariant(variant)) return appModule([]);
  if (isDecompositionVariant(variant)) {
    await applyDecompositionPatches(variant);
    return appModule([await decompositionModule(variant)]);
  }
  if (variant === 'willsoto') return appModule([(await import('./willsoto-setup.js')).WillsotoMetricsModule]);
  if (variant !== 'nest-prometheus') return appModule([]);
  const { PrometheusModule } = await import('nest-prometheus');
  const seeded = Number(process.env.BENCH_SEED_SERIES ?? 0);
  if (seeded === 0) return appModule([PrometheusModule.forRoot()]);
  const { register } = await import('prom-client');
  const { seedHistogramSeries } = await import('./seed-series.js');
  const { PromClientMetricsController } = await import('./prom-client-metrics.controller.js');
  seedHistogramSeries(register, seeded);
  return appModule([PrometheusModule.forRoot()], [PromClientMetricsController]);
}

async function startNest(variant: Exclude<VariantName, 'raw'> | DecompositionVariant, adapter: AdapterName): Promise<INestApplication> {
  const module = await variantModule(variant);
  if (adapter === 'express') {
    const app = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter(), { logger: ['error'] });
    if (variant === 'bundle') {
      const { default: promBundle } = await import('express-prom-bundle');
      app.use(promBundle({ includeMethod: true, includePath: true, promClient: { collectDefaultMetrics: {} } }));
    }
    await app.listen(0, '127.0.0.1');
    if (variant === 'floor' || variant === 'floor-store') installFloor('express', app.getHttpServer(), variant);
    return app;
  }
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: ['error'] });
  if (variant === 'bundle') {
    // fastify-metrics is CommonJS with `exports.default`: the plugin is `module.exports.default`.
    type Plugin = Exclude<Parameters<NestFastifyApplication['register']>[0], Promise<unknown>>;
    const loaded = (await import('fastify-metrics')).default as unknown as Plugin | { default: Plugin };
    const plugin = typeof loaded === 'function' ? loaded : loaded.default;
    await app.register(plugin, { endpoint: '/metrics' });
  }
  if (isFloorVariant(variant)) installFloor('fastify', app.getHttpAdapter().getInstance(), variant);
  await app.listen(0, '127.0.0.1');
  return app;
}

async function main(): Promise<void> {
  const variant = argument('variant') as VariantName | DecompositionVariant;
  const adapter = argument('adapter') as AdapterName;
  let server: Server;
  let close: () => Promise<void>;
  if (variant === 'raw') {
    server = await startRawServer();
    close = () => new Promise((resolve) => server.close(() => resolve()));
  } else {
    const app = await startNest(variant, adapter);
    server = app.getHttpServer() as Server;
    close = () => app.close();
  }
  const shutdown = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('disconnect', shutdown);
  // The driver asks for the live heap after a full GC (the process runs with --expose-gc).
  process.on('message', (message) => {
    if (message === MINOR_GC_REQUEST) {
      // A scavenge (young generation only): unlike a full collection it keeps the compiled code.
      (globalThis.gc as ((options: { type: 'minor' }) => void) | undefined)?.({ type: 'minor' });
      process.send?.({ minorGc: true });
      return;
    }
    if (message !== HEAP_REQUEST) return;
    globalThis.gc?.();
    process.send?.({ heapUsed: process.memoryUsage().heapUsed });
  });
  const { port } = server.address() as { port: number };
  process.stdout.write(`LISTENING ${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});

// The server profile.ts measures: `node server.js <express|fastify> <bare|metrics|http-only>`.
// Reports its port over IPC and answers 'cpu' messages with its process CPU time.
import 'reflect-metadata';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrometheusModule } from 'nest-prometheus';
import { ItemsController } from '../server/items.controller.js';

@Module({ controllers: [ItemsController] })
class BareModule {}

@Module({ imports: [PrometheusModule.forRoot()], controllers: [ItemsController] })
class MetricsModule {}

@Module({ imports: [PrometheusModule.forRoot({ defaultMetrics: false })], controllers: [ItemsController] })
class HttpOnlyModule {}

const adapter = process.argv[2] ?? 'fastify';
const variant = process.argv[3] ?? 'bare';
const module: Type<unknown> = variant === 'metrics' ? MetricsModule : variant === 'http-only' ? HttpOnlyModule : BareModule;
const app = await NestFactory.create(module, adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };
process.on('message', (message) => {
  if (message === 'cpu') process.send?.({ cpu: process.cpuUsage() });
  if (message === 'heap') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ heap: process.memoryUsage().heapUsed });
  }
  if (message === 'exit') void app.close().then(() => process.exit(0));
});
process.send?.({ port });

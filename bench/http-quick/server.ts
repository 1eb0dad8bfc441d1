// One Nest app for the quick HTTP overhead check: `node server.js <express|fastify> <bare|metrics>`.
// Reports its port over IPC and answers 'cpu' messages with its process CPU time.
import 'reflect-metadata';
import { Controller, Get, Module, Param, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrometheusModule } from 'nest-prometheus';

@Controller('items')
class ItemsController {
  @Get(':id')
  getOne(@Param('id') id: string): { id: string; name: string } {
    return { id, name: 'item' };
  }
}

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

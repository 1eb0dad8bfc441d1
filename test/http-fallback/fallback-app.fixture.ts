// A child process of handler-hooks-fallback.spec.ts: serves one app on a real adapter, sends a fixed
// set of requests and prints the HTTP series and the warnings as JSON. With `fallback`, Nest's private
// RouterExecutionContext#create is first replaced by a working wrapper of another arity, as a future
// Nest release with a changed signature would look to the shape check.
import 'reflect-metadata';
import {
  CanActivate,
  Controller,
  Get,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseIntPipe,
  UseGuards,
  type LoggerService,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context.js';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrometheusModule, SkipMetrics } from 'nest-prometheus';
import { Registry } from 'prom-client';

const [mode, adapter] = process.argv.slice(2) as ['hooks' | 'fallback', 'express' | 'fastify'];

if (mode === 'fallback') {
  const proto = RouterExecutionContext.prototype as unknown as { create: (...args: unknown[]) => unknown };
  const original = proto.create;
  proto.create = function changedSignature(this: unknown, ...args: unknown[]) {
    return original.apply(this, args);
  };
}

@Injectable()
class RefuseGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller('items')
class ItemsController {
  @Get('skipped')
  @SkipMetrics()
  skipped(): string {
    return 'skipped';
  }

  @Get('boom')
  boom(): never {
    throw new TypeError('boom');
  }

  @Get('guarded')
  @UseGuards(RefuseGuard)
  guarded(): string {
    return 'never';
  }

  @Get(':id')
  getOne(@Param('id', ParseIntPipe) id: number): { id: number } {
    if (id === 404) throw new NotFoundException();
    return { id };
  }
}

async function main(): Promise<void> {
  const registry = new Registry();
  @Module({ imports: [PrometheusModule.forRoot({ registry, defaultMetrics: false })], controllers: [ItemsController] })
  class AppModule {}

  const warnings: string[] = [];
  const logger: LoggerService = {
    log: () => undefined,
    error: () => undefined,
    warn: (message: unknown) => void warnings.push(String(message)),
  };
  const app = await NestFactory.create(AppModule, adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger });
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  const statuses: Record<string, number> = {};
  for (const path of ['/items/1', '/items/2', '/items/404', '/items/abc', '/items/boom', '/items/skipped', '/items/guarded', '/nothing-here']) {
    statuses[path] = (await fetch(`${url}${path}`)).status;
  }
  // Each metric's samples, minus what depends on timing (latency sums and bucket placement).
  const series: string[] = [];
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const value of metric.values as Array<{ value: number; labels: Record<string, unknown>; metricName?: string }>) {
      const name = value.metricName ?? metric.name;
      if ((metric.type as unknown as string) === 'histogram' && !name.endsWith('_count')) continue;
      series.push(`${name}${JSON.stringify(value.labels)} ${value.value}`);
    }
  }
  await app.close();
  console.log(JSON.stringify({ statuses, series: series.sort(), warnings }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

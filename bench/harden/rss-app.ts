// The app measured by threaded-rss.ts: a Nest app with the module's metrics port on PORT, in the
// event loop or (THREADED=true) on a worker thread, 500 extra counter series for a realistic
// exposition. Prints {"event":"ready"} once listening.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrometheusModule } from 'nest-prometheus';
import { Counter, register } from 'prom-client';

const counter = new Counter({ name: 'bench_jobs_total', help: 'Jobs.', labelNames: ['queue'], registers: [register] });
for (let i = 0; i < 500; i++) counter.inc({ queue: `q${i}` }, i);

@Module({
  imports: [
    PrometheusModule.forRoot({ export: { port: Number(process.env.PORT), address: '127.0.0.1', threaded: process.env.THREADED === 'true' } }),
  ],
})
class AppModule {}

const app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
await app.listen(0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);

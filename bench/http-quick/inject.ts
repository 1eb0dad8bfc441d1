// Added CPU per request without sockets: two Nest apps on Fastify in this process, bare and with
// PrometheusModule.forRoot({ defaultMetrics: false }), driven by Fastify's inject() in interleaved
// rounds; CPU time (process.cpuUsage) per request, medians. Sockets and the client are out of the
// picture, so what differs between the two is the instrumentation.
// Usage: node build/bench/http-quick/inject.js [rounds=7] [requests=20000]
import 'reflect-metadata';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrometheusModule } from 'nest-prometheus';
import { ItemsController } from '../server/items.controller.js';
import { Registry } from 'prom-client';

@Module({ controllers: [ItemsController] })
class BareModule {}

@Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), defaultMetrics: false })], controllers: [ItemsController] })
class HttpModule {}

const rounds = Number(process.argv[2] ?? 7);
const requests = Number(process.argv[3] ?? 20_000);

async function create(module: Type<unknown>): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

async function run(app: NestFastifyApplication): Promise<number> {
  const fastify = app.getHttpAdapter().getInstance();
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i++) await fastify.inject({ method: 'GET', url: `/items/${i % 100}` });
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

const apps = { bare: await create(BareModule), http: await create(HttpModule) };
await run(apps.bare);
await run(apps.http);
const results = { bare: [] as number[], http: [] as number[] };
for (let r = 0; r < rounds; r++) {
  for (const name of (r % 2 === 0 ? ['bare', 'http'] : ['http', 'bare']) as Array<'bare' | 'http'>) results[name].push(await run(apps[name]));
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const deltas = results.http.map((v, i) => v - results.bare[i]!);
console.log(JSON.stringify({
  adapter: 'fastify (inject)', rounds, requests,
  bareUsPerReq: +median(results.bare).toFixed(2),
  httpUsPerReq: +median(results.http).toFixed(2),
  addedUsPerReq: +median(deltas).toFixed(2),
  addedPerRound: deltas.map((d) => +d.toFixed(2)),
}));
await apps.bare.close();
await apps.http.close();

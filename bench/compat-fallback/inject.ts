// What the public fallback costs against the default hooks. Nest's private hooks are process-wide,
// so each variant runs in its own child process next to a bare app of the same process: `hooks`
// (the default) and `fallback` (RouterExecutionContext#create replaced by a wrapper of another
// arity first, so the module binds HttpMetricsInterceptor globally). In each child the two apps are
// driven by Fastify's inject() in interleaved rounds; CPU time (process.cpuUsage) per request,
// medians, added µs = instrumented − bare of the same round.
// Usage: node build/bench/compat-fallback/inject.js [rounds=7] [requests=20000]
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Registry } from 'prom-client';
import { ItemsController } from '../server/items.controller.js';

const [first, second, third] = process.argv.slice(2);
const variant = first === 'hooks' || first === 'fallback' ? first : undefined;
const rounds = Number((variant === undefined ? first : second) ?? 7);
const requests = Number((variant === undefined ? second : third) ?? 20_000);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface ChildResult {
  readonly variant: string;
  readonly bareUsPerReq: number;
  readonly instrumentedUsPerReq: number;
  readonly addedUsPerReq: number;
  readonly addedPerRound: number[];
}

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

async function child(name: 'hooks' | 'fallback'): Promise<ChildResult> {
  if (name === 'fallback') {
    const proto = RouterExecutionContext.prototype as unknown as { create: (...args: unknown[]) => unknown };
    const original = proto.create;
    proto.create = function changedSignature(this: unknown, ...args: unknown[]) {
      return original.apply(this, args);
    };
  }
  // Imported after the prototype is changed: forRoot() decides on the fallback when it runs.
  const { PrometheusModule } = await import('nest-prometheus');
  @Module({ controllers: [ItemsController] })
  class BareModule {}
  @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry(), defaultMetrics: false })], controllers: [ItemsController] })
  class InstrumentedModule {}
  const apps = { bare: await create(BareModule), instrumented: await create(InstrumentedModule) };
  await run(apps.bare);
  await run(apps.instrumented);
  const results = { bare: [] as number[], instrumented: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    const order = (r % 2 === 0 ? ['bare', 'instrumented'] : ['instrumented', 'bare']) as Array<'bare' | 'instrumented'>;
    for (const app of order) results[app].push(await run(apps[app]));
  }
  await apps.bare.close();
  await apps.instrumented.close();
  const deltas = results.instrumented.map((v, i) => v - results.bare[i]!);
  return {
    variant: name,
    bareUsPerReq: +median(results.bare).toFixed(2),
    instrumentedUsPerReq: +median(results.instrumented).toFixed(2),
    addedUsPerReq: +median(deltas).toFixed(2),
    addedPerRound: deltas.map((d) => +d.toFixed(2)),
  };
}

if (variant !== undefined) {
  console.log(JSON.stringify(await child(variant)));
} else {
  const self = fileURLToPath(import.meta.url);
  for (const name of ['hooks', 'fallback']) {
    const out = execFileSync(process.execPath, [self, name, String(rounds), String(requests)], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
    console.log(JSON.stringify({ adapter: 'fastify (inject)', rounds, requests, ...result }));
  }
}

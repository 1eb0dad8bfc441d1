import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Controller, Get, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrometheusModule } from 'nest-prometheus';
import { assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';
import { ADAPTERS, type AdapterName } from '../support/adapters.js';

const trap = (): never => {
  throw new Error('hostile trap');
};

/** Values whose every inspection throws: naming them must not. */
const HOSTILE: Record<string, () => unknown> = {
  'a Proxy whose get and getPrototypeOf traps throw': () => new Proxy(new Error('inner'), { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap }),
  'a revoked Proxy': () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  'an object whose constructor getter throws': () => Object.defineProperty({}, 'constructor', { get: trap }),
};

@Controller('throw')
class ThrowController {
  @Get(':kind')
  throw(): never {
    throw (HOSTILE[ThrowController.kind] as () => unknown)();
  }
  static kind = '';
}

/** Collects what Nest logs at error level (where a throw from the module's hook would surface with its stack). */
class CollectingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map((part) => (part instanceof Error ? part.stack : String(part))).join(' '));
  }
}

// Nest routes its static loggers (ExceptionsHandler's among them) to the last logger given to any
// app of the process, so both apps share one and the test compares what each request adds.
const logger = new CollectingLogger();

async function start(adapter: AdapterName, instrumented: boolean, registry: Registry) {
  @Module({
    imports: instrumented ? [PrometheusModule.forRoot({ registry, defaultMetrics: false })] : [],
    controllers: [ThrowController],
  })
  class AppModule {}
  const app = await NestFactory.create(AppModule, adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(), { logger, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

for (const adapter of ADAPTERS) {
  describe(`naming a hostile exception never throws (${adapter})`, () => {
    const apps: Array<{ close(): Promise<void> }> = [];
    after(async () => {
      for (const app of apps) await app.close();
    });

    for (const [kind] of Object.entries(HOSTILE)) {
      it(`${kind}: same answer as without the module, counted as type="Object", nothing thrown from the module`, async () => {
        const registry = new Registry();
        const bare = await start(adapter, false, new Registry());
        const instrumented = await start(adapter, true, registry);
        apps.push(bare.app, instrumented.app);
        ThrowController.kind = kind;
        const logged = logger.errors.length;
        const expected = await fetch(`${bare.url}/throw/x`);
        const bareLines = logger.errors.slice(logged);
        const before = await saveRegistry(registry);
        const actual = await fetch(`${instrumented.url}/throw/x`);
        const instrumentedLines = logger.errors.slice(logged + bareLines.length);
        assert.equal(actual.status, expected.status);
        assert.equal(await actual.text(), await expected.text());
        await assertMetricDiff(before, 1, 'nestjs_http_exceptions_total_by_type_total', { type: 'Object' });
        await assertMetricDiff(before, 0, 'nestjs_http_exceptions_total_by_type_total', { type: 'Error' });
        // Nest's own handler trips over these values too (the bare app logs the same); the module's
        // hook is on that stack as a caller, but no error may start in the module's code.
        const fromModule = instrumentedLines.filter((line) => /exception-type-name/.test(line));
        assert.deepEqual(fromModule, [], 'no error from the module\'s own code');
        assert.equal(instrumentedLines.length, bareLines.length, `logged:\n${instrumentedLines.join('\n')}\nbare:\n${bareLines.join('\n')}`);
      });
    }
  });
}

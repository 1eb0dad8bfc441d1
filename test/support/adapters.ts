import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

export type AdapterName = 'express' | 'fastify';
export const ADAPTERS: ReadonlyArray<AdapterName> = ['express', 'fastify'];

export interface StartedApp {
  readonly app: INestApplication;
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Runs after the app is created and before it listens (global prefix, versioning, middleware…). */
  readonly configure?: (app: INestApplication, adapter: AdapterName) => void | Promise<void>;
}

/** Creates the real Nest app of `module` on the given adapter and listens on a free loopback port. */
export async function startApp(module: Type<unknown>, adapter: AdapterName, options: StartOptions = {}): Promise<StartedApp> {
  const httpAdapter = adapter === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(module, httpAdapter, { logger: false, abortOnError: false });
  await options.configure?.(app, adapter);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

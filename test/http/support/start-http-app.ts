import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { AdapterName, StartedApp } from '../../support/adapters.js';

export interface StartHttpOptions {
  readonly configure?: (app: INestApplication, adapter: AdapterName) => void | Promise<void>;
  /** Trust `X-Forwarded-*` headers (Express `trust proxy`, Fastify `trustProxy`). */
  readonly trustProxy?: boolean;
}

/** Like `startApp`, plus adapter options the HTTP suites need (trusted proxy). */
export async function startHttpApp(module: Type<unknown> | object, adapter: AdapterName, options: StartHttpOptions = {}): Promise<StartedApp> {
  const httpAdapter = adapter === 'fastify' ? new FastifyAdapter({ trustProxy: options.trustProxy === true }) : new ExpressAdapter();
  const app = await NestFactory.create(module as Type<unknown>, httpAdapter, { logger: false, abortOnError: false });
  if (adapter === 'express' && options.trustProxy === true) (httpAdapter.getInstance() as { set(k: string, v: unknown): void }).set('trust proxy', true);
  await options.configure?.(app, adapter);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

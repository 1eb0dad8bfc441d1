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
  /** Trust `X-Forwarded-*` headers (Express `trust proxy`, Fastify `trustProxy`). */
  readonly trustProxy?: boolean;
  /** Serve HTTPS with this key and certificate. */
  readonly https?: { readonly key: string; readonly cert: string };
}

/** Creates the real Nest app of `module` on the given adapter and listens on a free loopback port. */
export async function startApp(module: Type<unknown> | object, adapter: AdapterName, options: StartOptions = {}): Promise<StartedApp> {
  const httpsOptions = options.https && { key: options.https.key, cert: options.https.cert };
  const httpAdapter =
    adapter === 'fastify'
      ? new FastifyAdapter({ trustProxy: options.trustProxy === true, ...(httpsOptions ? { https: httpsOptions } : {}) })
      : new ExpressAdapter();
  const app = await NestFactory.create(module as Type<unknown>, httpAdapter, {
    logger: false,
    abortOnError: false,
    ...(httpsOptions && adapter === 'express' ? { httpsOptions } : {}),
  });
  if (adapter === 'express' && options.trustProxy === true) (httpAdapter.getInstance() as { set(k: string, v: unknown): void }).set('trust proxy', true);
  await options.configure?.(app, adapter);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `${options.https ? 'https' : 'http'}://127.0.0.1:${address.port}`, close: () => app.close() };
}

import {
  Body, Controller, Get, HttpException, Injectable, Module, Param, ParseIntPipe, Post, Render, Res, StreamableFile, UseGuards, UseInterceptors,
  type CanActivate, type DynamicModule, type INestApplication, type NestInterceptor,
} from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrometheusModule, SkipMetrics, type PrometheusModuleOptions } from 'nest-prometheus';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Observable } from 'rxjs';
import type { AdapterName } from '../../support/adapters.js';

/** The custom exception of the parity suite (django-prometheus's test app raises `ObjectionException`). */
export class ObjectionException extends Error {}

type RawOrFastifyReply = {
  header?(name: string, value: string): { send(body: Buffer): void };
  setHeader(name: string, value: string): { end(body: Buffer): void };
} & object;

/** Thrown by `FailingInterceptor`. */
export class InterceptorFailure extends Error {}

@Injectable()
class FailingInterceptor implements NestInterceptor {
  intercept(): Observable<unknown> {
    throw new InterceptorFailure('interceptor says no');
  }
}

@Injectable()
class DenyGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/**
 * Resolved by `GET /hang` once the handler has started (so a test knows when to disconnect) and
 * once the client's connection has closed. Each test starts its own round with `resetHanging()`,
 * so a round resolved by another adapter's test never satisfies the next one.
 */
export const hanging = { entered: deferred(), closed: deferred() };

/** Starts a fresh round of `hanging`. */
export function resetHanging(): void {
  hanging.entered = deferred();
  hanging.closed = deferred();
}

/** A promise and its resolver. */
export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

@Controller()
export class TestController {
  @Get()
  @Render('index')
  index(): { title: string } {
    return { title: 'hello' };
  }

  @Get('help')
  help(): { help: string } {
    return { help: 'me' };
  }

  @Post('help')
  postHelp(@Body() body: unknown): { got: unknown } {
    return { got: body };
  }

  @Get('slow')
  async slow(): Promise<{ slept: number }> {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { slept: 100 };
  }

  @Get('objection')
  objection(): never {
    throw new ObjectionException('objection!');
  }

  @Get('teapot')
  teapot(): never {
    throw new HttpException('short and stout', 418);
  }

  @Get('guarded')
  @UseGuards(DenyGuard)
  guarded(): string {
    return 'never';
  }

  @Get('file')
  file(): StreamableFile {
    return new StreamableFile(Readable.from([Buffer.from('line 1\n'), Buffer.from('line 2\n')]), { type: 'text/plain' });
  }

  @Get('latin')
  latin(@Res() res: RawOrFastifyReply): void {
    const body = Buffer.from('caf\u00e9', 'latin1');
    if (typeof res.header === 'function' && 'raw' in res) res.header('Content-Type', 'text/plain; charset=ISO-8859-1').send(body);
    else res.setHeader('Content-Type', 'text/plain; charset=ISO-8859-1').end(body);
  }

  @Get('items/:id')
  item(@Param('id', ParseIntPipe) id: number): { id: number } {
    return { id };
  }

  @Get('intercepted')
  @UseInterceptors(FailingInterceptor)
  intercepted(): string {
    return 'never';
  }

  @Get('health')
  @SkipMetrics()
  health(): { ok: true } {
    return { ok: true };
  }

  @Get('hang')
  async hang(@Res({ passthrough: true }) res: { raw?: NodeJS.EventEmitter } & NodeJS.EventEmitter): Promise<{ late: true }> {
    // The response's 'close' means the connection went away before an answer was sent. The request's
    // own 'close' is no signal: on Fastify it fires as soon as the (empty) body has been read.
    const raw = res.raw ?? res;
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
    hanging.entered.resolve();
    await closed;
    hanging.closed.resolve();
    return { late: true };
  }
}

@SkipMetrics()
@Controller('internal')
export class SkippedController {
  @Get('status')
  status(): { ok: true } {
    return { ok: true };
  }
}

/** The parity app: the test controllers and `PrometheusModule.forRoot(options)`. */
export function httpTestModule(options: PrometheusModuleOptions): DynamicModule {
  @Module({})
  class HttpTestModule {}
  return { module: HttpTestModule, imports: [PrometheusModule.forRoot(options)], controllers: [TestController, SkippedController] };
}

let viewsDir: string | undefined;

/** Sets up the template engine of `adapter` for `@Render('index')`. */
export function useTemplates(app: INestApplication, adapter: AdapterName): void {
  if (viewsDir === undefined) {
    viewsDir = mkdtempSync(join(tmpdir(), 'nest-prometheus-views-'));
    writeFileSync(join(viewsDir, 'index.hbs'), '<h1>{{title}}</h1>\n');
  }
  if (adapter === 'express') {
    const express = app as NestExpressApplication;
    express.setBaseViewsDir(viewsDir);
    express.setViewEngine('hbs');
  } else {
    (app as NestFastifyApplication).setViewEngine({ engine: { handlebars: HANDLEBARS }, templates: viewsDir, viewExt: 'hbs' } as never);
  }
}

let HANDLEBARS: unknown;
/** Loads handlebars once (for Fastify's @fastify/view). */
export async function loadHandlebars(): Promise<void> {
  HANDLEBARS ??= (await import('handlebars')).default;
}

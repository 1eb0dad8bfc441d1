import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { ensureHttpMetrics } from './ensure-http-metrics.js';
import { fastifyRouteTemplate, installFastifyHooks, type FastifyInstanceLike } from './fastify-hooks.js';
import { HttpRecorder } from './http-recorder.js';
import { warnHandlerHooksFallback } from './handler-hooks-fallback.js';
import { installHandlerHooks } from './install-handler-hooks.js';
import { expressRouteTemplate, installNodeServerHooks } from './node-server-hooks.js';
import { processShared } from '../shared/process-shared.js';

/**
 * Adapters (their instance objects) already measured, so that a second module cannot double count,
 * even one loaded from the other build (ESM / CommonJS).
 */
const instrumented = processShared('instrumented-adapters:v1', () => new WeakSet<object>());

/**
 * Sets up the HTTP metrics of one app, when `http` is not `false`:
 * - on instantiation, hooks Nest's route-handler factory (process-wide, once): it has to be in
 *   place before `app.init()` registers the routes, which happens before `onModuleInit`;
 * - on `onModuleInit`, registers the 19 metrics and adds the adapter hooks: Fastify
 *   `onRequest`/`onResponse` (and a `close` listener per connection, or `onRequestAbort` over
 *   HTTP/2, for abandoned requests), or a `request` listener on the Node server for Express
 *   (ahead of Express itself, so it sees 404s and middleware answers too).
 * @internal
 */
@Injectable()
export class HttpInstrumentation implements OnModuleInit, OnApplicationShutdown {
  private recorder: HttpRecorder | undefined;
  private uninstall: (() => void) | undefined;

  constructor(
    @Inject(PROMETHEUS_CONFIG) private readonly config: PrometheusConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    if (config.http !== false) {
      const problem = installHandlerHooks();
      if (problem !== undefined) warnHandlerHooksFallback(problem);
    }
  }

  onModuleInit(): void {
    const http = this.config.http;
    const adapter = this.adapterHost?.httpAdapter;
    if (http === false || adapter === undefined || adapter === null) return;
    const instance = adapter.getInstance() as object;
    if (instrumented.has(instance)) return;
    const store = ensureHttpMetrics(this.config.registry, this.config.namespace, this.config.latencyBuckets);
    const type = adapter.getType();
    const recorder = new HttpRecorder(store, http, type === 'fastify' ? fastifyRouteTemplate : expressRouteTemplate);
    if (type === 'fastify') {
      installFastifyHooks(instance as FastifyInstanceLike, recorder);
    } else {
      const server = adapter.getHttpServer() as Server | undefined;
      if (server === undefined || typeof server.prependListener !== 'function') {
        new Logger('PrometheusModule').warn(`HTTP metrics off: the ${type} adapter has no Node HTTP server to measure`);
        return;
      }
      this.uninstall = installNodeServerHooks(server, recorder);
    }
    instrumented.add(instance);
    this.recorder = recorder;
  }

  onApplicationShutdown(): void {
    if (this.recorder !== undefined) this.recorder.enabled = false;
    this.uninstall?.();
    const instance = this.adapterHost?.httpAdapter?.getInstance() as object | undefined;
    if (instance !== undefined) instrumented.delete(instance);
  }
}

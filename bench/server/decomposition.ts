// The variants of the pinned benchmark (bench/pinned/) that take nest-prometheus apart, and the
// floor: the least instrumentation that still sees every request start and end.
import type { Server } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import type { AdapterName } from './variants.js';

/**
 * - `floor`: bare + adapter hooks at the two points the package uses (Fastify `onRequest` and
 *   `onResponse`; Express: a listener prepended to the server's `request` event and a `close`
 *   listener on the response), the end hook adding one to a plain counter; nothing else.
 * - `floor-abort` (Fastify): the floor plus an empty `onRequestAbort` hook, the package's third hook.
 * - `np-nohttp`: `forRoot({ http: false, defaultMetrics: false })` (module, registry, controller).
 * - `np-hooks`: `defaultMetrics: false`, handler wrapper left out, the recorder's `end()` reduced
 *   to marking the request done: the package's adapter hooks and per-request state only.
 * - `np-wrapper`: `np-hooks` plus the handler wrapper.
 * - `np-recorder`: `np-wrapper` with the real `end()` (labels read, observation filled) but the
 *   store's `record()` a no-op.
 * - `np-nodm`: `defaultMetrics: false`, HTTP complete (adds the store).
 * - `np`: `forRoot()` defaults (adds default metrics).
 * - `np-noabort` (Fastify): `np` with `http: { countAbortedRequests: false }` (no `onRequestAbort` hook).
 */
export const DECOMPOSITION_VARIANTS = ['floor', 'floor-abort', 'np-nohttp', 'np-hooks', 'np-wrapper', 'np-recorder', 'np-nodm', 'np', 'np-noabort'] as const;
export type DecompositionVariant = (typeof DECOMPOSITION_VARIANTS)[number];

export function isDecompositionVariant(name: string): name is DecompositionVariant {
  return (DECOMPOSITION_VARIANTS as readonly string[]).includes(name);
}

/** A dist module of the package, by path (the bench reaches internals the exports map hides). */
async function distModule<T>(path: string): Promise<T> {
  return (await import(new URL(`../../../dist/${path}`, import.meta.url).href)) as T;
}

/** Patches the package's internals for the `np-*` variants; call before the app is created. */
export async function applyDecompositionPatches(variant: DecompositionVariant): Promise<void> {
  const noWrapper = variant === 'np-hooks';
  const endOnly = variant === 'np-hooks' || variant === 'np-wrapper';
  const noStore = variant === 'np-recorder';
  if (noWrapper) {
    // The package installs its handler wrapper only where this marker is absent.
    const marker = Symbol.for('nest-prometheus:handler-hooks');
    const { RouterExecutionContext } = await import('@nestjs/core/router/router-execution-context.js');
    const { ExceptionsHandler } = await import('@nestjs/core/exceptions/exceptions-handler.js');
    (RouterExecutionContext.prototype as unknown as Record<symbol, unknown>)[marker] = true;
    (ExceptionsHandler.prototype as unknown as Record<symbol, unknown>)[marker] = true;
  }
  if (endOnly) {
    const { HttpRecorder } = await distModule<{ HttpRecorder: { prototype: { end: (state: { done: boolean }) => void } } }>('http/http-recorder.js');
    HttpRecorder.prototype.end = function endOnly(state) {
      if (state.done) return;
      state.done = true;
    };
  }
  if (noStore) {
    const { HttpMetricsStore } = await distModule<{ HttpMetricsStore: { prototype: { record: () => void } } }>('http/http-metrics.store.js');
    HttpMetricsStore.prototype.record = function noStore() {};
  }
}

/** The `PrometheusModule` import of an `np-*` variant. */
export async function decompositionModule(variant: Exclude<DecompositionVariant, 'floor' | 'floor-abort'>): Promise<DynamicModule> {
  const { PrometheusModule } = await import('nest-prometheus');
  if (variant === 'np') return PrometheusModule.forRoot();
  if (variant === 'np-noabort') return PrometheusModule.forRoot({ http: { countAbortedRequests: false } });
  if (variant === 'np-nohttp') return PrometheusModule.forRoot({ http: false, defaultMetrics: false });
  return PrometheusModule.forRoot({ defaultMetrics: false });
}

/** Requests the floor hooks saw end (read by nothing; kept so the work cannot be optimised away). */
export let floorCount = 0;

interface FastifyLike {
  addHook(name: string, hook: (...args: unknown[]) => void): unknown;
}

/** Installs the floor's hooks on the adapter's instance (Fastify) or HTTP server (Express). */
export function installFloor(adapter: AdapterName, target: unknown, withAbortHook: boolean): void {
  if (adapter === 'fastify') {
    const fastify = target as FastifyLike;
    fastify.addHook('onRequest', (_request, _reply, done) => (done as () => void)());
    fastify.addHook('onResponse', (_request, _reply, done) => {
      floorCount++;
      (done as () => void)();
    });
    if (withAbortHook) fastify.addHook('onRequestAbort', (_request, done) => (done as () => void)());
    return;
  }
  const onClose = () => {
    floorCount++;
  };
  (target as Server).prependListener('request', (_req, res) => {
    res.on('close', onClose);
  });
}

import { performance } from 'node:perf_hooks';
import { register as globalRegistry, Registry } from 'prom-client';
import { parseNamespace } from '../config/parsers/parse-namespace.js';
import type { CacheManagerLike, InstrumentCacheOptions } from './cache-manager-like.interface.js';
import { cacheDurationObserver } from './cache-duration.js';
import { CacheReadState, NOT_ARMED } from './cache-read-state.js';
import { detectCacheBackend } from './detect-cache-backend.js';
import { ensureCacheMetrics } from './ensure-cache-metrics.js';
import { observeStoreReads, replaceMethod } from './observe-store-reads.js';
import { processShared } from '../shared/process-shared.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

const states = processShared('cache-read-states:v1', () => new WeakMap<object, CacheReadState>());

/**
 * Counts the reads of one cache-manager instance in `nestjs_cache_get_total`, `…_get_hits_total`,
 * `…_get_misses_total` and `…_get_fail_total` (label `backend`). The module does this by itself for
 * `@nestjs/cache-manager`'s `CACHE_MANAGER`; call it for a cache you create yourself.
 *
 * Counted: every `get`, every key of an `mget`, and the one store read of a `wrap` call. What the
 * cache returns or throws is unchanged (the very same promise is returned). Only this instance is
 * changed (its methods become own wrappers); instrumenting it again only changes where it counts,
 * never counts twice.
 *
 * @returns the same `cache`, for chaining
 * @example
 * const cache = instrumentCacheManager(createCache({ stores: [createKeyv('redis://localhost:6379')] }));
 */
export function instrumentCacheManager<T extends CacheManagerLike>(cache: T, options: InstrumentCacheOptions = {}): T {
  if (typeof cache !== 'object' || cache === null || typeof (cache as { get?: unknown }).get !== 'function') {
    throw new TypeError(`nest-prometheus: instrumentCacheManager() needs a cache manager (an object with a get() method), got ${describe(cache)}`);
  }
  const registry = options.registry ?? globalRegistry;
  if (!(registry instanceof Registry)) {
    throw new TypeError(`nest-prometheus: instrumentCacheManager() option \`registry\` is ${describe(registry)}; expected a prom-client Registry`);
  }
  const namespace = parseNamespace(options.namespace ?? '');
  if (!namespace.ok) {
    throw new TypeError(`nest-prometheus: instrumentCacheManager() option \`namespace\` is ${describe(options.namespace)}; expected ${namespace.accepted}`);
  }
  if (options.backend !== undefined && (typeof options.backend !== 'string' || options.backend === '')) {
    throw new TypeError(`nest-prometheus: instrumentCacheManager() option \`backend\` is ${describe(options.backend)}; expected a non-empty string`);
  }
  if (options.durationHistogram !== undefined && typeof options.durationHistogram !== 'boolean') {
    throw new TypeError(`nest-prometheus: instrumentCacheManager() option \`durationHistogram\` is ${describe(options.durationHistogram)}; expected true or false`);
  }
  const stores = Array.isArray(cache.stores) ? cache.stores : [];
  const backend = options.backend ?? detectCacheBackend(stores);
  const tally = ensureCacheMetrics(registry, namespace.value).tally(backend);
  const observeDuration = options.durationHistogram === true ? cacheDurationObserver(registry, namespace.value, backend) : undefined;

  const existing = states.get(cache);
  if (existing !== undefined) {
    existing.tally = tally;
    existing.observeDuration = observeDuration;
    return cache;
  }
  if (Object.isFrozen(cache) || Object.isSealed(cache)) {
    throw new TypeError('nest-prometheus: instrumentCacheManager() cannot wrap the methods of a frozen or sealed cache object; pass the cache before freezing it');
  }
  const state = new CacheReadState(tally, stores.length);
  state.observeDuration = observeDuration;
  states.set(cache, state);
  replaceMethod(cache, 'get', (original) => countedGet(original, state));
  replaceMethod(cache, 'mget', (original) => countedMget(original, state));
  replaceMethod(cache, 'wrap', (original) => countedWrap(original, state));
  stores.forEach((store, tier) => observeStoreReads(store, state, tier));
  return cache;
}

/** Whether `instrumentCacheManager` already wrapped this instance. @internal */
export function isCacheInstrumented(cache: object): boolean {
  return states.has(cache);
}

function countedGet(original: AnyFunction, state: CacheReadState): AnyFunction {
  const count = function get(this: unknown, key: unknown): unknown {
    state.inflight++;
    let result: unknown;
    try {
      result = arguments.length === 1 ? original.call(this, key) : original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      state.countFailures(1, key);
      state.endCall();
      throw error;
    }
    if (isThenable(result)) {
      result.then((value) => {
        state.countValue(key, value);
        state.endCall();
      }, state.onGetRejected);
    } else {
      state.countValue(key, result);
      state.endCall();
    }
    return result;
  };
  return withOptionalTiming(count, state);
}

/** `counted` as is while the duration histogram is off (one field check per call); timed when it is on. */
function withOptionalTiming(counted: AnyFunction, state: CacheReadState): AnyFunction {
  const name = counted.name;
  const wrapper = {
    [name](this: unknown): unknown {
      const observe = state.observeDuration;
      if (observe === undefined) return counted.apply(this, arguments as unknown as unknown[]);
      return timed(observe, counted, this, arguments);
    },
  }[name]!;
  return wrapper;
}

/**
 * The duration histogram's path, taken only when it is on: times the counted call and returns exactly
 * what it returned or threw.
 */
function timed(observe: (seconds: number) => void, counted: AnyFunction, self: unknown, args: IArguments): unknown {
  const started = performance.now();
  const done = () => observe((performance.now() - started) / 1000);
  let result: unknown;
  try {
    result = counted.apply(self, args as unknown as unknown[]);
  } catch (error) {
    done();
    throw error;
  }
  if (isThenable(result)) result.then(done, done);
  else done();
  return result;
}

function countedMget(original: AnyFunction, state: CacheReadState): AnyFunction {
  return withOptionalTiming(function mget(this: unknown, keys: unknown): unknown {
    const count = Array.isArray(keys) ? keys.length : 0;
    state.inflight++;
    let result: unknown;
    try {
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      state.countFailures(count, keys);
      state.endCall();
      throw error;
    }
    const settle = (values: unknown) => {
      const list = Array.isArray(values) ? values : [];
      for (let i = 0; i < count; i++) state.countValue((keys as unknown[])[i], list[i]);
      state.endCall();
    };
    if (isThenable(result)) {
      result.then(settle, () => {
        state.countFailures(count, keys);
        state.endCall();
      });
    } else {
      settle(result);
    }
    return result;
  }, state);
}

/**
 * `wrap` reads the stores directly (not through `get`): the call arms its key, and the store probe
 * counts the read it starts and ends the call's count of reads in flight when that read is decided.
 * A call that starts no read (cache-manager coalesced it into one already running) counts nothing.
 */
function countedWrap(original: AnyFunction, state: CacheReadState): AnyFunction {
  return function wrap(this: unknown, key: unknown): unknown {
    state.inflight++;
    state.armedWrapKey = key;
    try {
      return original.apply(this, arguments as unknown as unknown[]);
    } finally {
      // still armed: no store read started synchronously, so none will be counted for this call
      if (state.armedWrapKey !== NOT_ARMED) state.endCall();
      state.armedWrapKey = NOT_ARMED;
    }
  };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

import type { CacheReadState } from './cache-read-state.js';
import { keyvAdapter } from './detect-cache-backend.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** One store (a Keyv instance of `cache.stores`) as seen by the caches that read through it. */
class StoreProbe {
  readonly entries: Array<{ readonly state: CacheReadState; readonly tier: number }> = [];
  /** Whether the store's adapter can fail (anything but an in-process `Map`). */
  remote = false;

  fail(keys: unknown): void {
    for (const entry of this.entries) entry.state.recordFailure(keys);
  }
}

const probes = new WeakMap<object, StoreProbe>();
const observedAdapters = new WeakSet<object>();

/** The store read running synchronously right now, for the adapter under it to attribute an error. */
let activeProbe: StoreProbe | undefined;
let activeKeys: unknown;

/**
 * Watches the reads of one cache tier so that errors the caller never sees (cache-manager and Keyv
 * swallow them) still count as fails, and so that `wrap`, which reads the stores directly, is
 * counted once per call. Own properties are set on this store object and its adapter only, never on
 * a prototype; a store shared by several caches is wrapped once.
 * @internal
 */
export function observeStoreReads(store: unknown, state: CacheReadState, tier: number): void {
  if (typeof store !== 'object' || store === null || typeof (store as { get?: unknown }).get !== 'function') return;
  let probe = probes.get(store);
  if (probe === undefined) {
    probe = new StoreProbe();
    probes.set(store, probe);
    replaceMethod(store, 'get', (original) => probedStoreGet(original, probe!));
    replaceMethod(store, 'getMany', (original) => probedStoreGetMany(original, probe!));
    const adapter = keyvAdapter(store);
    if (adapter !== undefined && !(adapter instanceof Map)) {
      probe.remote = true;
      observeAdapter(adapter);
    }
  }
  if (!probe.entries.some((entry) => entry.state === state)) probe.entries.push({ state, tier });
}

function probedStoreGet(original: AnyFunction, probe: StoreProbe): AnyFunction {
  return function get(this: unknown, key: unknown, options?: unknown): unknown {
    if (!probe.remote) {
      // an in-process store: no adapter below to attribute errors to, only wrap's raw reads to see
      const result = original.apply(this, arguments as unknown as unknown[]);
      if (options !== undefined) watchRawRead(probe, key, options, result);
      return result;
    }
    const outerProbe = activeProbe;
    const outerKeys = activeKeys;
    activeProbe = probe;
    activeKeys = key;
    let result: unknown;
    try {
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      probe.fail(key);
      throw error;
    } finally {
      activeProbe = outerProbe;
      activeKeys = outerKeys;
    }
    if (options !== undefined) watchRawRead(probe, key, options, result);
    else whenRejected(result, () => probe.fail(key));
    return result;
  };
}

function watchRawRead(probe: StoreProbe, key: unknown, options: unknown, result: unknown): void {
  const raw = typeof options === 'object' && options !== null && (options as { raw?: unknown }).raw === true;
  if (raw) watchWrapRead(probe, key, result);
  else if (probe.remote) whenRejected(result, () => probe.fail(key));
}

function probedStoreGetMany(original: AnyFunction, probe: StoreProbe): AnyFunction {
  return function getMany(this: unknown, keys: unknown): unknown {
    const outerProbe = activeProbe;
    const outerKeys = activeKeys;
    activeProbe = probe;
    activeKeys = keys;
    let result: unknown;
    try {
      result = original.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      probe.fail(keys);
      throw error;
    } finally {
      activeProbe = outerProbe;
      activeKeys = outerKeys;
    }
    if (probe.remote) whenRejected(result, () => probe.fail(keys));
    return result;
  };
}

/** A raw read is how `wrap` (and `ttl`) read; only the one a `wrap` call is waiting for is counted. */
function watchWrapRead(probe: StoreProbe, key: unknown, result: unknown): void {
  for (let i = 0; i < probe.entries.length; i++) {
    const { state, tier } = probe.entries[i]!;
    const read = state.claimWrapRead(key, tier);
    if (read === undefined) continue;
    Promise.resolve(result).then(
      (data) => state.wrapTierAnswered(read, key, tier, data),
      () => {
        probe.fail(key);
        state.wrapTierFailed(read, key, tier);
      },
    );
    return;
  }
  if (probe.remote) whenRejected(result, () => probe.fail(key));
}

/** The adapter under a Keyv store (Redis, memcached, …): its errors are what Keyv swallows. */
function observeAdapter(adapter: object): void {
  if (observedAdapters.has(adapter)) return;
  observedAdapters.add(adapter);
  for (const name of ['get', 'getMany'] as const) {
    replaceMethod(adapter, name, (original) =>
      function adapterRead(this: unknown): unknown {
        const probe = activeProbe;
        const keys = activeKeys;
        let result: unknown;
        try {
          result = original.apply(this, arguments as unknown as unknown[]);
        } catch (error) {
          probe?.fail(keys);
          throw error;
        }
        if (probe !== undefined) whenRejected(result, () => probe.fail(keys));
        return result;
      },
    );
  }
}

function whenRejected(result: unknown, onRejected: () => void): void {
  if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
    (result as PromiseLike<unknown>).then(undefined, onRejected);
  }
}

/** Sets `target[name]` to a wrapper of the current method, as an own property. */
export function replaceMethod(target: object, name: string, wrap: (original: AnyFunction) => AnyFunction): void {
  const original = (target as Record<string, unknown>)[name];
  if (typeof original !== 'function') return;
  Object.defineProperty(target, name, {
    value: wrap(original as AnyFunction),
    writable: true,
    configurable: true,
    enumerable: Object.prototype.propertyIsEnumerable.call(target, name),
  });
}

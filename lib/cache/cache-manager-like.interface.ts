import type { Registry } from 'prom-client';

/**
 * What nest-prometheus needs from a cache manager, described by shape so that no cache library is
 * named here: cache-manager 7's `createCache()` result (what `@nestjs/cache-manager` provides under
 * `CACHE_MANAGER`) fits, and so does any object with an async `get`.
 */
export interface CacheManagerLike {
  get(key: string): unknown;
  mget?(keys: string[]): unknown;
  wrap?(key: string, fn: () => unknown, ...rest: unknown[]): unknown;
  /** The Keyv stores, first tier first (cache-manager 7). Used for the `backend` label and to see store errors. */
  readonly stores?: ReadonlyArray<unknown>;
}

/** Options of {@link instrumentCacheManager}. */
export interface InstrumentCacheOptions {
  /**
   * Registry to count on.
   * @default prom-client's global `register`
   */
  readonly registry?: Registry;
  /**
   * Metric-name prefix (`<namespace>_nestjs_cache_…`), as the module's `namespace` option.
   * @default ''
   */
  readonly namespace?: string;
  /**
   * The `backend` label. By default it is detected from the stores: `memory`, `redis`, `memcached`,
   * another adapter's name (`KeyvMongo` → `mongo`), or the tiers joined with `+` (`memory+redis`).
   */
  readonly backend?: string;
  /**
   * Also time each `get` and `mget` call (errors included) in the histogram
   * `nestjs_cache_get_duration_seconds` (label `backend`, buckets from 50 µs to 2.5 s). `wrap` is not
   * timed (its duration includes the loader). Off, it costs nothing on the read path.
   * @default false
   */
  readonly durationHistogram?: boolean;
}

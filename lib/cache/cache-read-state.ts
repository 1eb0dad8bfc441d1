import type { CacheDurationObserver } from './cache-duration.js';
import type { CacheTally } from './cache-metrics.store.js';

/** A `wrap` read in progress: cache-manager reads the tiers in order until one has the key. @internal */
export interface WrapRead {
  nextTier: number;
  failed: boolean;
}

/** Marks "no wrap call is waiting for its first read". */
export const NOT_ARMED: unique symbol = Symbol('not armed');

/**
 * The counting state of one instrumented cache manager: which tally it counts into, how many of its
 * reads are in flight, which keys saw a store error during them, and its `wrap` reads in progress.
 *
 * Outcomes (each read counts once in `total`): a value other than `undefined`/`null` is a hit; no
 * value after a store error (thrown, or thrown and swallowed by Keyv or cache-manager) is a fail;
 * no value otherwise is a miss. Store errors are matched to reads by key, and forgotten when no read
 * is in flight, so an error of another operation (`ttl`, `has`) cannot turn a later read into a fail.
 * @internal
 */
export class CacheReadState {
  inflight = 0;
  readonly failed = new Set<unknown>();
  readonly wrapReads = new Map<unknown, WrapRead>();
  armedWrapKey: unknown = NOT_ARMED;
  /** Set when the duration histogram is on. */
  observeDuration: CacheDurationObserver | undefined;

  constructor(
    public tally: CacheTally,
    readonly tierCount: number,
  ) {}

  /** A store read for `keys` (one key or an array) failed. */
  recordFailure(keys: unknown): void {
    if (this.inflight === 0) return;
    if (Array.isArray(keys)) for (const key of keys) this.failed.add(key);
    else this.failed.add(keys);
  }

  /** One key read through the API (`get`, or one key of `mget`) ended with `value`. */
  countValue(key: unknown, value: unknown): void {
    const tally = this.tally;
    tally.total++;
    if (value !== undefined && value !== null) {
      tally.hits++;
      if (this.failed.size !== 0) this.failed.delete(key);
    } else if (this.failed.size !== 0 && this.failed.delete(key)) {
      tally.fails++;
    } else {
      tally.misses++;
    }
  }

  /** A read that threw or rejected at the API: `count` keys failed. */
  countFailures(count: number, keys?: unknown): void {
    this.tally.total += count;
    this.tally.fails += count;
    if (keys !== undefined && this.failed.size !== 0) {
      if (Array.isArray(keys)) for (const key of keys) this.failed.delete(key);
      else this.failed.delete(keys);
    }
  }

  /** A `get` rejected: one fail (its key's error mark, if any, goes when nothing is in flight). Shared, not allocated per call. */
  readonly onGetRejected = (): void => {
    this.countFailures(1);
    this.endCall();
  };

  /** An API call ended; with nothing in flight, stale error marks are dropped. */
  endCall(): void {
    if (--this.inflight === 0 && this.failed.size !== 0) this.failed.clear();
  }

  /** The read of `key` on `tier` is a `wrap` read if a `wrap` call armed it (tier 0) or continues there. */
  claimWrapRead(key: unknown, tier: number): WrapRead | undefined {
    if (tier === 0 && this.armedWrapKey === key) {
      this.armedWrapKey = NOT_ARMED;
      const read: WrapRead = { nextTier: 0, failed: false };
      if (this.tierCount > 1) this.wrapReads.set(key, read); // only a later tier needs to find it again
      return read;
    }
    if (this.wrapReads.size === 0) return undefined;
    const read = this.wrapReads.get(key);
    return read !== undefined && read.nextTier === tier ? read : undefined;
  }

  /** Tier `tier` answered a `wrap` read with raw data (`{ value, expires }`) or `undefined`. */
  wrapTierAnswered(read: WrapRead, key: unknown, tier: number, data: unknown): void {
    if (data !== undefined) {
      this.finishWrapRead(read, key, (data as { value?: unknown } | null)?.value);
    } else if (tier + 1 < this.tierCount) {
      read.nextTier = tier + 1;
    } else {
      this.finishWrapRead(read, key, undefined);
    }
  }

  /** Tier `tier` threw on a `wrap` read (cache-manager ignores it and goes on to the next tier). */
  wrapTierFailed(read: WrapRead, key: unknown, tier: number): void {
    read.failed = true;
    this.wrapTierAnswered(read, key, tier, undefined);
  }

  private finishWrapRead(read: WrapRead, key: unknown, value: unknown): void {
    if (this.wrapReads.size !== 0 && this.wrapReads.get(key) === read) this.wrapReads.delete(key);
    if (read.failed && (value === undefined || value === null)) this.failed.add(key);
    this.countValue(key, value);
    this.endCall(); // the wrap call that armed this read
  }
}

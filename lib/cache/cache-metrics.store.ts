/** Plain counts of one `backend`, read at scrape time. @internal */
export class CacheTally {
  total = 0;
  hits = 0;
  misses = 0;
  fails = 0;
}

/**
 * The counts behind the four cache counters of one registry and namespace, one tally per `backend`.
 * Counting is a property increment on the hot path; prom-client sees the numbers when it collects.
 * @internal
 */
export class CacheMetricsStore {
  readonly tallies = new Map<string, CacheTally>();

  tally(backend: string): CacheTally {
    let tally = this.tallies.get(backend);
    if (tally === undefined) this.tallies.set(backend, (tally = new CacheTally()));
    return tally;
  }
}

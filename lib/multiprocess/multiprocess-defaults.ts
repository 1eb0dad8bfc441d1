/** How often each process persists its metrics to `multiprocessDir` (milliseconds). @internal */
export const MULTIPROCESS_WRITE_INTERVAL_MS = 1000;

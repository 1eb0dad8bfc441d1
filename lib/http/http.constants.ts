/** Metadata key of `@SkipMetrics()`. @internal */
export const SKIP_METRICS_METADATA = Symbol.for('nest-prometheus:skip-metrics');


/** `view` of a request that matched no route handler. */
export const UNNAMED_VIEW = '<unnamed view>';

/** `method` of a request whose method is not one of the standard nine. */
export const INVALID_METHOD = '<invalid method>';

/** Upper bounds (bytes) of the request and response body histograms: 0, 1, 2, 4, …, 2^29. */
export const BODY_BYTES_BUCKETS: ReadonlyArray<number> = Object.freeze([0, ...Array.from({ length: 30 }, (_, i) => 2 ** i)]);

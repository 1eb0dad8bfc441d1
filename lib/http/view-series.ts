import type { BucketCounts } from './bucket-counts.js';

/**
 * The counts of one `view × method × status × transport` combination (plus any extra labels):
 * the only per-request map entry the instrumentation touches.
 * @internal
 */
export class ViewSeries {
  count = 0;
  exceptions = 0;

  constructor(
    readonly view: string,
    readonly method: string,
    /** `''` for requests whose client went away before a response was sent. */
    readonly status: string,
    readonly transport: string,
    /** A route handler took these requests. */
    readonly handled: boolean,
    readonly extraLabels: Readonly<Record<string, string>> | undefined,
    /** Latency of the handler's pipeline, for handled requests. */
    readonly latency: BucketCounts | undefined,
  ) {}
}

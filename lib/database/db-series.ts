import { performance } from 'node:perf_hooks';
import { BucketCounts } from '../http/bucket-counts.js';
import { classifyDbError } from './db-error-type.js';
import type { DbVendor } from './db-vendor.js';

/**
 * The counts of one `alias`/`vendor` pair in plain numbers. Instrumentations hold their series and
 * update it directly on the hot path; prom-client only reads it at scrape time.
 * @internal
 */
export class DbSeries {
  newConnections = 0;
  newConnectionErrors = 0;
  executes = 0;
  executeMany = 0;
  /** Failed statements by DB-API error class. */
  readonly errors = new Map<string, number>();
  readonly duration: BucketCounts;

  constructor(
    readonly alias: string,
    readonly vendor: DbVendor,
    bounds: Float64Array,
  ) {
    this.duration = new BucketCounts(bounds);
  }

  /** A statement is about to run: counted now, before the database sees it. */
  statementStarted(): number {
    this.executes++;
    return performance.now();
  }

  /** The statement started at `startedAt` (from `statementStarted`) ended, with `error` if it failed. */
  statementEnded(startedAt: number, error?: unknown): void {
    this.duration.observe((performance.now() - startedAt) / 1000);
    if (error !== undefined) this.statementFailed(error);
  }

  statementFailed(error: unknown): void {
    const type = classifyDbError(this.vendor, error);
    this.errors.set(type, (this.errors.get(type) ?? 0) + 1);
  }

  /** A bulk operation of `rows` rows: django-prometheus's `executemany`. */
  bulkRows(rows: number): void {
    this.executeMany += rows;
  }

  connectionStarted(): void {
    this.newConnections++;
  }

  connectionFailed(): void {
    this.newConnectionErrors++;
  }

  reset(): void {
    this.newConnections = 0;
    this.newConnectionErrors = 0;
    this.executes = 0;
    this.executeMany = 0;
    this.errors.clear();
    this.duration.reset();
  }
}

import type { Logger } from '@nestjs/common';
import type { MigrationSource } from './migration-gauges.js';
import { MIGRATIONS_READ_TIMEOUT_MS, MIGRATIONS_RETRY_INTERVAL_MS } from './migration-metrics.constants.js';
import type { MigrationCounts } from './read-typeorm-migrations.js';
import { withTimeout } from './with-timeout.js';

/** One connection's migration state (a TypeORM DataSource or a Prisma client). @internal */
export class ConnectionMigrations implements MigrationSource {
  private known?: MigrationCounts;
  private reading?: Promise<void>;
  /** A read started by a migration run: a scrape waits for it (bounded by the read timeout). */
  private awaited?: Promise<void>;
  private lastAttempt = 0;
  /** Numbers the reads, so that a slow older read never overwrites a newer result. */
  private started = 0;
  private warned = false;

  constructor(
    readonly connection: string,
    private readonly readCounts: () => Promise<MigrationCounts>,
    private readonly logger: Logger,
  ) {}

  counts(): MigrationCounts | undefined {
    return this.known;
  }

  beforeScrape(): Promise<void> | undefined {
    if (this.known === undefined && this.reading === undefined && Date.now() - this.lastAttempt >= MIGRATIONS_RETRY_INTERVAL_MS) void this.read();
    return this.awaited;
  }

  /** Reads the table in the background; never rejects. */
  read(): Promise<void> {
    this.lastAttempt = Date.now();
    const ticket = ++this.started;
    const reading = withTimeout(this.readCounts(), MIGRATIONS_READ_TIMEOUT_MS, 'reading the migrations table').then(
      (counts) => {
        if (ticket === this.started) this.known = counts;
      },
      (error: unknown) => this.warnOnce(error),
    );
    const tracked = reading.finally(() => {
      if (this.reading === tracked) this.reading = undefined;
    });
    this.reading = tracked;
    return tracked;
  }

  afterMigrationRun(): void {
    const run = this.read();
    this.awaited = run;
    void run.finally(() => {
      if (this.awaited === run) this.awaited = undefined;
    });
  }

  settled(): Promise<void> {
    return this.reading ?? Promise.resolve();
  }

  private warnOnce(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `migration gauges for connection "${this.connection}" are not exported yet: ${reason}. ` +
        `The app runs on; the read is retried on a scrape at most every ${MIGRATIONS_RETRY_INTERVAL_MS / 1000} s and after migrations run.`,
    );
  }
}

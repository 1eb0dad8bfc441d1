/** How long one read of a migrations table may take before it is given up (and warned about). @internal */
export const MIGRATIONS_READ_TIMEOUT_MS = 5_000;

/** After a failed or timed-out read, a scrape starts another read no sooner than this. @internal */
export const MIGRATIONS_RETRY_INTERVAL_MS = 30_000;

/** Gauge names (before the namespace prefix), kept from django-prometheus with their `_total`. @internal */
export const MIGRATION_GAUGE_NAMES = {
  applied: 'nestjs_migrations_applied_total',
  unapplied: 'nestjs_migrations_unapplied_total',
} as const;

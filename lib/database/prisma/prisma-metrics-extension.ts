import type { DbInstrumentOptions } from '../db-instrument-options.interface.js';
import type { DbVendor } from '../db-vendor.js';
import { endStatement } from '../measured-call.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { resolveDbSeries } from '../resolve-db-series.js';

/** Options of `prismaMetricsExtension`. */
export interface PrismaMetricsOptions extends DbInstrumentOptions {
  /** The `vendor` label: `postgresql`, `mysql` or `sqlite` (Prisma's `provider`, with `sqlite` as is). */
  readonly vendor: DbVendor;
}

/** What Prisma passes to a `query.$allOperations` extension hook. */
export interface PrismaOperationParams {
  readonly model?: string;
  readonly operation: string;
  readonly args: unknown;
  query(args: unknown): PromiseLike<unknown>;
}

/** A Prisma client extension (the argument of `prisma.$extends`), typed without naming Prisma. */
export interface PrismaMetricsExtension {
  readonly name: string;
  readonly query: { readonly $allOperations: (params: PrismaOperationParams) => Promise<unknown> };
}

const BULK_OPERATIONS = new Set(['createMany', 'createManyAndReturn']);

function bulkRows(operation: string, args: unknown): number {
  if (!BULK_OPERATIONS.has(operation)) return 0;
  const data = (args as { data?: unknown } | undefined)?.data;
  return Array.isArray(data) ? data.length : 1;
}

/**
 * A Prisma client extension that counts every operation (model operations and raw queries) as a
 * statement under `alias` and `vendor`: counted before it runs, timed on success and failure,
 * errors by DB-API class (from the SQLSTATE of raw queries, else Prisma's `P` code);
 * `createMany` / `createManyAndReturn` count their rows in `execute_total` and
 * `execute_many_total`. Prisma does not expose its physical connections: `new_connections_total`
 * stays at 0 unless the driver under its adapter is instrumented too (e.g. `instrumentPg` on the pool
 * given to `@prisma/adapter-pg`, in which case count statements there and skip this extension).
 *
 * @example
 * const prisma = new PrismaClient({ adapter }).$extends(prismaMetricsExtension({ vendor: 'postgresql' }));
 */
export function prismaMetricsExtension(options: PrismaMetricsOptions): PrismaMetricsExtension {
  const series = resolveDbSeries(options.vendor, options);
  return {
    name: 'nest-prometheus',
    query: {
      async $allOperations({ operation, args, query }: PrismaOperationParams): Promise<unknown> {
        let startedAt = 0;
        try {
          const rows = bulkRows(operation, args);
          if (rows > 1) {
            series.executes += rows - 1;
            series.bulkRows(rows);
          }
          startedAt = series.statementStarted();
        } catch (error) {
          reportInstrumentationFailure('counting a Prisma operation', error);
        }
        try {
          const result = await query(args);
          endStatement(series, startedAt, false);
          return result;
        } catch (error) {
          endStatement(series, startedAt, true, error);
          throw error;
        }
      },
    },
  };
}

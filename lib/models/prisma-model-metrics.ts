import { register as globalRegistry, type Registry } from 'prom-client';
import { ensureModelCounters, zeroModelSeries, type ModelCounters } from './model-counters.js';

/** Options of {@link prismaModelMetrics}. */
export interface PrismaModelMetricsOptions {
  /**
   * The Prisma models to count, by their schema name (`Dog`), each with its `model` label value
   * (`{ Dog: 'dog' }`); an array (`['Dog']`) uses the lower-cased model name.
   */
  readonly models: ReadonlyArray<string> | Readonly<Record<string, string>>;
  /** The registry the counters go to: the one given to `PrometheusModule` if it is not the default. @default prom-client's global registry */
  readonly registry?: Registry;
  /** The `namespace` given to `PrometheusModule`, if any. @default '' */
  readonly namespace?: string;
}

/** The parameters a Prisma `$allOperations` query extension receives (the parts used here). */
export interface PrismaOperationParams {
  readonly model?: string;
  readonly operation: string;
  readonly args: unknown;
  query(args: unknown): Promise<unknown>;
}

/** A Prisma client extension, to pass to `prisma.$extends(…)`. */
export interface PrismaModelMetricsExtension {
  readonly name: string;
  readonly query: { readonly $allModels: { $allOperations(params: PrismaOperationParams): Promise<unknown> } };
}

type Kind = keyof ModelCounters;

/** Which counter an operation moves and by how much, from its result. */
function countOf(operation: string, result: unknown): [Kind, number] | undefined {
  const counted = (r: unknown) => (typeof r === 'object' && r !== null && typeof (r as { count?: unknown }).count === 'number' ? (r as { count: number }).count : 0);
  switch (operation) {
    case 'create':
      return ['inserts', 1];
    case 'createMany':
      return ['inserts', counted(result)];
    case 'createManyAndReturn':
      return ['inserts', Array.isArray(result) ? result.length : 0];
    case 'update':
    case 'upsert':
      return ['updates', 1];
    case 'updateMany':
      return ['updates', counted(result)];
    case 'updateManyAndReturn':
      return ['updates', Array.isArray(result) ? result.length : 0];
    case 'delete':
      return ['deletes', 1];
    case 'deleteMany':
      return ['deletes', counted(result)];
    default:
      return undefined;
  }
}

/**
 * Model counters for Prisma: a client extension counting `create`/`createMany` as inserts,
 * `update`/`updateMany`/`upsert` as updates and `delete`/`deleteMany` as deletes of the chosen
 * models (bulk operations count the rows Prisma reports). The series of every chosen model exist at
 * 0 from the call. Results and errors pass through untouched; a failed operation counts nothing.
 * Nothing is imported from Prisma.
 * @example
 * ```ts
 * const prisma = new PrismaClient({ adapter }).$extends(prismaModelMetrics({ models: { Dog: 'dog' } }));
 * ```
 */
export function prismaModelMetrics(options: PrismaModelMetricsOptions): PrismaModelMetricsExtension {
  const models = new Map<string, string>(
    Array.isArray(options.models)
      ? (options.models as ReadonlyArray<string>).map((m) => [m, m.toLowerCase()])
      : Object.entries(options.models as Record<string, string>),
  );
  if (models.size === 0) throw new TypeError('prismaModelMetrics({ models }): models is empty; expected Prisma model names, e.g. { Dog: "dog" } or ["Dog"]');
  const counters = ensureModelCounters(options.registry ?? globalRegistry, options.namespace ?? '');
  for (const label of models.values()) zeroModelSeries(counters, label);
  return {
    name: 'nest-prometheus-model-metrics',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }: PrismaOperationParams): Promise<unknown> {
          const result = await query(args);
          try {
            const label = model === undefined ? undefined : models.get(model);
            const count = label === undefined ? undefined : countOf(operation, result);
            if (label !== undefined && count !== undefined && count[1] > 0) counters[count[0]].inc({ model: label }, count[1]);
          } catch {
            // instrumentation never breaks a query
          }
          return result;
        },
      },
    },
  };
}

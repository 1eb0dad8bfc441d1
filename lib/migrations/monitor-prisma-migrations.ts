/** Options of {@link monitorPrismaMigrations}. */
export interface PrismaMigrationsOptions {
  /** The Prisma migrations folder (one sub-folder per migration). @default `prisma/migrations` under the working directory */
  readonly migrationsDir?: string;
  /** The `connection` label value. @default 'prisma' */
  readonly connection?: string;
}

const SETTINGS = new WeakMap<object, PrismaMigrationsOptions>();

/**
 * Tells the migration gauges where a Prisma client's migrations folder is and how to label it.
 * Every Prisma client among the app's providers is read when `exportMigrations` is on; without
 * this call it is labelled `connection="prisma"` and compared with `prisma/migrations` under the
 * working directory.
 * @returns the same client
 * @example
 * ```ts
 * providers: [{ provide: PrismaClient, useFactory: () => monitorPrismaMigrations(new PrismaClient({ adapter }), { migrationsDir: 'db/migrations' }) }]
 * ```
 */
export function monitorPrismaMigrations<C extends object>(client: C, options: PrismaMigrationsOptions): C {
  SETTINGS.set(client, options);
  return client;
}

/** The settings given for `client`, if any. @internal */
export function prismaMigrationsSettings(client: object): PrismaMigrationsOptions {
  return SETTINGS.get(client) ?? {};
}

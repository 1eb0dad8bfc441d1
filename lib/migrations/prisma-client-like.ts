/** The member of a Prisma client the migration gauges use (no Prisma import). @internal */
export interface PrismaClientLike {
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/** Duck-typed check for a Prisma client (or a `PrismaService` extending one) among the app's providers. @internal */
export function isPrismaClient(value: unknown): value is PrismaClientLike {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.$queryRawUnsafe === 'function' && typeof candidate.$transaction === 'function' && typeof candidate.$connect === 'function';
}

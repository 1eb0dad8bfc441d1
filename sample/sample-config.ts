/** The sample's own environment (SPEC §6); `PROMETHEUS_*` variables are read by the package itself. */
export interface SampleConfig {
  readonly port: number;
  readonly adapter: 'express' | 'fastify';
  readonly databaseUrl: string;
  readonly cacheUrl: string;
}

export function readSampleConfig(env: NodeJS.ProcessEnv = process.env): SampleConfig {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT is ${JSON.stringify(env.PORT)}; expected an integer port from 0 to 65535`);
  }
  const adapter = (env.HTTP_ADAPTER ?? 'express').toLowerCase();
  if (adapter !== 'express' && adapter !== 'fastify') {
    throw new Error(`HTTP_ADAPTER is ${JSON.stringify(env.HTTP_ADAPTER)}; expected "express" or "fastify"`);
  }
  return {
    port,
    adapter,
    databaseUrl: env.DATABASE_URL ?? 'sqlite:sample.sqlite',
    cacheUrl: env.CACHE_URL ?? 'memory',
  };
}

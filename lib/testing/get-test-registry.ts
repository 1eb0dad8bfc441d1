import type { INestApplicationContext } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { PROMETHEUS_REGISTRY } from '../prometheus.constants.js';

/**
 * The registry the Prometheus module of a Nest app (or `TestingModule`) writes to: pass it to the
 * assertion helpers.
 * @example const registry = getTestRegistry(app);
 */
export function getTestRegistry(app: Pick<INestApplicationContext, 'get'>): Registry {
  return app.get<Registry>(PROMETHEUS_REGISTRY, { strict: false });
}

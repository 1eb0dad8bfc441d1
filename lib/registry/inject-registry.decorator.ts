import { Inject } from '@nestjs/common';
import { PROMETHEUS_REGISTRY } from '../prometheus.constants.js';

/**
 * Injects the prom-client `Registry` the module writes to.
 * @example constructor(@InjectRegistry() private readonly registry: Registry) {}
 */
export function InjectRegistry(): PropertyDecorator & ParameterDecorator {
  return Inject(PROMETHEUS_REGISTRY);
}

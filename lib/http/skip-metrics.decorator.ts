import { SetMetadata } from '@nestjs/common';
import { SKIP_METRICS_METADATA } from './http.constants.js';

/**
 * Leaves a route handler, or every handler of a controller, out of the HTTP metrics: requests it
 * serves are not counted in any HTTP metric (health checks, the metrics endpoint itself).
 * @example
 * ＠SkipMetrics()
 * ＠Controller('health')
 * export class HealthController {}
 */
export function SkipMetrics(): ClassDecorator & MethodDecorator {
  return SetMetadata(SKIP_METRICS_METADATA, true);
}

import { Inject } from '@nestjs/common';
import { getMetricToken } from './metric-token.js';

/**
 * Injects the metric created by `makeCounterProvider` (or gauge, histogram, summary) with this name.
 * @example constructor(@InjectMetric('orders_total') private readonly orders: Counter) {}
 */
export function InjectMetric(name: string): PropertyDecorator & ParameterDecorator {
  return Inject(getMetricToken(name));
}

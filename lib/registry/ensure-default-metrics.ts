import { Logger } from '@nestjs/common';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import type { PrometheusConfig } from '../config/prometheus-config.interface.js';
import { dropTotalGauges } from './drop-total-gauges.js';

/** A default metric present in every prom-client version; its presence means "already collected". */
const PROBE_METRIC = 'process_cpu_user_seconds_total';

/**
 * Starts prom-client's default Node.js metrics on `registry` unless they are already there (a
 * second module, a second app, or user code collected them first). Never throws: a clash with
 * metrics the user registered by hand is logged. The three gauges prom-client names `*_total` are
 * dropped (each is the sum of a per-type gauge) so the exposition passes `promtool check metrics`.
 * @internal
 */
export function ensureDefaultMetrics(registry: Registry, configuration: PrometheusConfig['defaultMetrics']): void {
  if (configuration === false) return;
  if (registry.getSingleMetric(`${configuration.prefix ?? ''}${PROBE_METRIC}`) !== undefined) return;
  try {
    collectDefaultMetrics({ ...configuration, register: registry });
    dropTotalGauges(registry, configuration.prefix ?? '');
  } catch (error) {
    new Logger('PrometheusModule').warn(
      `default metrics not (fully) collected: ${(error as Error).message}. Set \`defaultMetrics: false\` if you collect them yourself.`,
    );
  }
}

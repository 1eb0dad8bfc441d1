import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigurablePrometheusModule, type PrometheusModuleRootOptions } from './prometheus.module-definition.js';

/**
 * Prometheus metrics for a Nest app: registry, `/metrics` controller, HTTP instrumentation,
 * standalone port. Global by default.
 * @example imports: [PrometheusModule.forRoot()]
 * @example
 * imports: [PrometheusModule.forRootAsync({
 *   imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ namespace: config.get('METRICS_NAMESPACE') }),
 * })]
 */
@Module({})
export class PrometheusModule extends ConfigurablePrometheusModule {
  /** Everything on, configured by the options given, then `PROMETHEUS_*` variables, then defaults. */
  static override forRoot(options: PrometheusModuleRootOptions = {}): DynamicModule {
    return super.forRoot(options);
  }
}

import { Module } from '@nestjs/common';
import { ConfigurablePrometheusModule } from './prometheus.module-definition.js';

/**
 * Prometheus metrics for a Nest app.
 * @example imports: [PrometheusModule.forRoot()]
 * @example imports: [PrometheusModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService], useFactory: (c) => ({ namespace: c.get('NS') }) })]
 */
@Module({})
export class PrometheusModule extends ConfigurablePrometheusModule {}

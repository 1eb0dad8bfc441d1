import { Module } from '@nestjs/common';
import { PrometheusModule } from 'nest-prometheus';
import { ItemsModule } from './items.module.js';

@Module({
  imports: [PrometheusModule.forRoot({ defaultMetrics: false }), ItemsModule],
})
export class AppModule {}

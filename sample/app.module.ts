import { CacheModule } from '@nestjs/cache-manager';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PrometheusModule } from 'nest-prometheus';
import { cacheOptions } from './cache/cache.options.js';
import { CacheController } from './controllers/cache.controller.js';
import { DogsController } from './controllers/dogs.controller.js';
import { LawnsController } from './controllers/lawns.controller.js';
import { PagesController } from './controllers/pages.controller.js';
import { SqlController } from './controllers/sql.controller.js';
import { databaseOptions } from './database/database.options.js';
import { Dog } from './entities/dog.entity.js';
import { Lawn } from './entities/lawn.entity.js';
import type { SampleConfig } from './sample-config.js';

@Module({})
export class AppModule {
  static register(config: SampleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The sample shows the migration gauges by default (SPEC §6); when PROMETHEUS_EXPORT_MIGRATIONS is
        // set, the package reads and validates it as usual.
        PrometheusModule.forRoot({ exportMigrations: process.env.PROMETHEUS_EXPORT_MIGRATIONS?.trim() ? undefined : true }),
        TypeOrmModule.forRoot(databaseOptions(config.databaseUrl)),
        TypeOrmModule.forFeature([Lawn, Dog]),
        CacheModule.registerAsync({ useFactory: () => cacheOptions(config.cacheUrl) }),
      ],
      controllers: [PagesController, SqlController, LawnsController, DogsController, CacheController],
    };
  }
}

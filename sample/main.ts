import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { readSampleConfig, type SampleConfig } from './sample-config.js';
import { VIEWS_DIR } from './sample-paths.js';

async function createApp(config: SampleConfig): Promise<INestApplication> {
  const module = AppModule.register(config);
  if (config.adapter === 'fastify') {
    const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter());
    const handlebars = (await import('handlebars')).default;
    await app.setViewEngine({ engine: { handlebars }, templates: VIEWS_DIR, viewExt: 'hbs' } as never);
    return app;
  }
  const app = await NestFactory.create<NestExpressApplication>(module, new ExpressAdapter());
  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  return app;
}

async function bootstrap(): Promise<void> {
  const config = readSampleConfig();
  const app = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  const { port } = app.getHttpServer().address() as { port: number };
  new Logger('Sample').log(`listening on http://localhost:${port} (${config.adapter}); metrics at http://localhost:${port}/metrics`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

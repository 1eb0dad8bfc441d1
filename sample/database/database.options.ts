import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { Dog } from '../entities/dog.entity.js';
import { Lawn } from '../entities/lawn.entity.js';
import { CreateLawnAndDog1764100000000 } from './migrations/1764100000000-create-lawn-and-dog.js';

/**
 * TypeORM options from `DATABASE_URL`: `sqlite:<file>` (default `sqlite:sample.sqlite`),
 * `postgres://…` / `postgresql://…`, `mysql://…` / `mariadb://…`. The schema comes from migrations,
 * run at startup.
 */
export function databaseOptions(url: string): TypeOrmModuleOptions {
  const common = {
    entities: [Lawn, Dog],
    migrations: [CreateLawnAndDog1764100000000],
    migrationsRun: true,
    synchronize: false,
  };
  if (url.startsWith('sqlite:')) {
    return { ...common, type: 'better-sqlite3', database: url.slice('sqlite:'.length) || 'sample.sqlite' };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { ...common, type: 'postgres', url };
  if (/^(mysql|mariadb):\/\//.test(url)) return { ...common, type: 'mysql', url: url.replace(/^mariadb:/, 'mysql:') };
  throw new Error(`DATABASE_URL is ${JSON.stringify(url)}; expected sqlite:<file>, postgres://… or mysql://…`);
}

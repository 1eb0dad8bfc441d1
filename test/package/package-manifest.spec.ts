import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  peerDependencies: Record<string, string>;
  dependencies?: Record<string, string>;
};

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, suffix) : name.endsWith(suffix) ? [path] : [];
  });
}

/** Bare specifiers of static and dynamic imports in a compiled file. */
function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:from\s+|import\s*\()\s*'([^'.][^']*)'/g)].map((m) => m[1]!);
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

describe('package manifest', () => {
  const allowed = new Set([...Object.keys(manifest.peerDependencies), ...Object.keys(manifest.dependencies ?? {})]);

  it('every package the build imports is a declared peer dependency (or a Node built-in)', () => {
    const undeclared = new Set<string>();
    for (const file of files(join(ROOT, 'dist'), '.js')) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        if (!allowed.has(packageName(specifier))) undeclared.add(`${packageName(specifier)} (${file.slice(ROOT.length + 1)})`);
      }
    }
    assert.deepEqual([...undeclared], []);
  });

  it('the public type declarations name no optional integration (an app without it still type-checks)', () => {
    const leaked = new Set<string>();
    for (const file of files(join(ROOT, 'dist'), '.d.ts')) {
      for (const specifier of importsOf(readFileSync(file, 'utf8'))) {
        const name = packageName(specifier);
        if (!specifier.startsWith('node:') && !allowed.has(name)) leaked.add(`${name} (${file.slice(ROOT.length + 1)})`);
      }
    }
    assert.deepEqual([...leaked], []);
  });

  it('the migration and model integrations never load TypeORM or Prisma, not even lazily (they are duck-typed)', () => {
    const dirs = ['migrations', 'models'].map((d) => join(ROOT, 'dist', d));
    const loaded = dirs.flatMap((dir) =>
      files(dir, '.js').flatMap((file) =>
        importsOf(readFileSync(file, 'utf8'))
          .filter((s) => /^(typeorm|@prisma\/|prisma$)/.test(s))
          .map((s) => `${s} (${file.slice(ROOT.length + 1)})`),
      ),
    );
    assert.ok(files(dirs[0]!, '.js').length > 0 && files(dirs[1]!, '.js').length > 0, 'dist/migrations and dist/models are built');
    assert.deepEqual(loaded, []);
    const index = readFileSync(join(ROOT, 'dist', 'index.d.ts'), 'utf8');
    assert.match(index, /MonitorModel/);
    assert.match(index, /MigrationMetricsService/);
  });

  it('the database integrations load no driver or ORM: no import, type reference or require of one anywhere in dist', () => {
    const optional = ['pg', 'pg-pool', 'mysql2', 'better-sqlite3', 'typeorm', '@nestjs/typeorm', '@prisma/client', 'prisma', 'knex', 'drizzle-orm'];
    const named: string[] = [];
    for (const file of [...files(join(ROOT, 'dist'), '.js'), ...files(join(ROOT, 'dist'), '.d.ts')]) {
      const source = readFileSync(file, 'utf8');
      const specifiers = [...importsOf(source), ...[...source.matchAll(/(?:require\s*\(|reference\s+types=)\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!)];
      for (const specifier of specifiers) if (optional.includes(packageName(specifier))) named.push(`${specifier} (${file.slice(ROOT.length + 1)})`);
    }
    assert.deepEqual(named, []);
  });

  it('the published types name no cache peer (cache-manager, @nestjs/cache-manager, keyv, @keyv/*): the cache API is structural', () => {
    const cachePeer = /['"](cache-manager|@nestjs\/cache-manager|keyv|@keyv\/[^'"]+|cacheable)['"]/;
    const leaked: string[] = [];
    const declarations = files(join(ROOT, 'dist'), '.d.ts');
    for (const file of declarations) {
      const match = cachePeer.exec(readFileSync(file, 'utf8'));
      if (match) leaked.push(`${match[1]} (${file.slice(ROOT.length + 1)})`);
    }
    assert.deepEqual(leaked, []);
    const cacheApi = declarations.find((file) => file.endsWith(join('cache', 'instrument-cache-manager.d.ts')));
    assert.ok(cacheApi, 'dist/cache/instrument-cache-manager.d.ts is published');
    assert.match(readFileSync(cacheApi, 'utf8'), /export declare function instrumentCacheManager<T extends CacheManagerLike>/);
  });

  it('has no runtime dependencies: everything it needs comes from the app (peers)', () => {
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), []);
    assert.deepEqual(Object.keys(manifest.peerDependencies).sort(), ['@nestjs/common', '@nestjs/core', 'prom-client', 'reflect-metadata', 'rxjs']);
  });
});

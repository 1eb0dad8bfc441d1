// Every ```ts block of README.md and docs/*.md compiles against the built package, as a user would
// paste it. A block that is a whole file (it has its own imports) is compiled as it is; a fragment is
// compiled after a prelude that imports the package's public API and declares the names a fragment
// leaves to the reader (your guard, your config service, an app, a url, …). Blocks the examples
// specs run for real (docs/testing.md, docs/migrating-from-willsoto.md) are compiled here too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const OUT = join(ROOT, 'build', 'doc-blocks');

/** Imported into every fragment (a block without imports of its own): the package's public API and Nest's basics. */
const PRELUDE = `
import 'reflect-metadata';
import { CanActivate, Controller, ExecutionContext, Get, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Counter, Registry, register } from 'prom-client';
import {
  HttpMetricsInterceptor, InjectMetric, InjectRegistry, instrumentBetterSqlite3, instrumentCacheManager, instrumentDataSource,
  instrumentMysql2, instrumentPg, makeCounterProvider, makeGaugeProvider, makeHistogramProvider, MonitorModel, monitorPrismaMigrations,
  PrometheusEndpointServer, PrometheusEndpointThread, PrometheusModule, prismaMetricsExtension, prismaModelMetrics, renderRegistry,
  setupClusterPrimaryMetrics, setupPrometheusEndpointOnPort, setupPrometheusEndpointOnPortRange, setupPrometheusExportsFromConfig,
  SkipMetrics, sumAcrossProcesses,
} from 'nest-prometheus';
import { assertMetricDiff, assertMetricNoDiff, getTestRegistry, PrometheusTestingModule, saveRegistry } from 'nest-prometheus/testing';
export {};
`;

/**
 * What the examples leave to the reader (your guard, your config module, a pool you created, an
 * app, a url…), declared globally so that every block sees them and a block's own import of the same
 * name wins.
 */
const READER_GLOBALS = `
declare class ApiKeyGuard { canActivate(context: unknown): boolean; }
declare class MetricsApiKeyGuard { canActivate(context: unknown): boolean; }
declare function Public(): ClassDecorator;
declare class ConfigModule {}
declare class ConfigService { get<T = string>(key: string): T; }
declare const CacheModule: { register(options?: object): any; registerAsync(options?: object): any };
declare function Entity(name?: string): ClassDecorator;
declare function createCache(options?: object): any;
declare function createKeyv(url?: string, options?: object): any;
declare const DataSource: new (options: object) => any;
declare const Pool: new (options?: object) => any;
declare const Database: new (file?: string) => any;
declare const mysql: { createPool(options: object): any };
declare class PrismaClient { constructor(options?: object); $extends(extension: object): any; }
declare class PrismaPg { constructor(options?: object); }
declare const prisma: PrismaClient;
declare const adapter: any;
declare const pool: any;
declare const db: any;
declare const cache: any;
declare const connectionString: string;
declare const uri: string;
declare const app: import('@nestjs/common').INestApplication;
declare const url: string;
declare const registry: import('prom-client').Registry;
declare const namespace: string;
declare const latencyBuckets: number[];
declare const token: string;
declare function bootstrap(): Promise<void>;
`;

function tsBlocks(text: string): string[] {
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

function documents(): string[] {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f));
  return ['README.md', ...docs.sort()];
}

describe('code blocks of README.md and docs/', () => {
  it('every ```ts block compiles against the built package', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    const files: Array<{ file: string; where: string }> = [];
    for (const doc of documents()) {
      tsBlocks(readFileSync(join(ROOT, doc), 'utf8')).forEach((block, index) => {
        const whole = /^import\s/m.test(block);
        const file = `${doc.replace(/[/.]/g, '_')}_${index + 1}.ts`;
        writeFileSync(join(OUT, file), whole ? block : `${PRELUDE}\n${block}\n`);
        files.push({ file, where: `${doc}, block ${index + 1}` });
      });
    }
    assert.ok(files.length >= 20, `found only ${files.length} blocks`);
    writeFileSync(join(OUT, 'reader-globals.d.ts'), READER_GLOBALS);
    writeFileSync(
      join(OUT, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, declaration: false, sourceMap: false, types: ['node'] },
        include: ['*.ts', 'reader-globals.d.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(OUT, 'tsconfig.json')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const output = `${tsc.stdout}${tsc.stderr}`;
    const byBlock = files
      .map(({ file, where }) => ({ where, errors: output.split('\n').filter((line) => line.includes(`${file}(`)) }))
      .filter((b) => b.errors.length > 0)
      .map((b) => `${b.where}:\n  ${b.errors.join('\n  ')}`);
    assert.deepEqual(byBlock, [], output);
    assert.equal(tsc.status, 0, output);
  });
});

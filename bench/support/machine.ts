import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { table } from './markdown.js';
import { readLoadAverage } from './proc-stats.js';

const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-express',
  '@nestjs/platform-fastify',
  'express',
  'fastify',
  'prom-client',
  '@willsoto/nestjs-prometheus',
  'express-prom-bundle',
  'fastify-metrics',
  '@prometheus-io/client',
  'autocannon',
];

function installedVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** Machine, load and package versions, as a markdown section. */
export function describeMachine(loadBefore: number): string {
  const cpu = cpus();
  const lines = [
    `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} logical cores; ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM; Linux ${release()}`,
    `- Node.js ${process.version}; load average (1 min) ${loadBefore.toFixed(2)} before the run, ${readLoadAverage().toFixed(2)} after`,
    '',
    table(['package', 'version'], PACKAGES.map((name) => [name, installedVersion(name)])),
  ];
  return lines.join('\n');
}

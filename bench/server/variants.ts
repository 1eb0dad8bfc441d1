/** The server variants the HTTP benchmark compares. */
export type VariantName = 'raw' | 'bare' | 'nest-prometheus' | 'willsoto' | 'bundle';
export type AdapterName = 'express' | 'fastify';

export interface VariantInfo {
  readonly name: VariantName;
  /** What the variant is, per adapter, for the tables. */
  readonly describe: (adapter: AdapterName) => string;
}

export const VARIANTS: readonly VariantInfo[] = [
  { name: 'bare', describe: () => 'bare NestJS' },
  { name: 'nest-prometheus', describe: () => 'nest-prometheus `forRoot()`' },
  { name: 'willsoto', describe: () => '@willsoto/nestjs-prometheus + counter/histogram interceptor' },
  { name: 'bundle', describe: (adapter) => (adapter === 'fastify' ? 'fastify-metrics plugin' : 'express-prom-bundle middleware') },
];

export const RAW_VARIANT: VariantInfo = { name: 'raw', describe: () => 'raw `node:http` (upper bound)' };

/** The one route every variant serves. */
export const ITEM_PATH = '/items/42';
export const ITEM_BODY = JSON.stringify({ id: '42', name: 'item 42' });

/** IPC message asking a server for its heap size after a full GC. */
export const HEAP_REQUEST = 'heap-after-gc';

/** IPC message asking a server for a scavenge (the instruction-count benchmark ends each batch with one). */
export const MINOR_GC_REQUEST = 'minor-gc';

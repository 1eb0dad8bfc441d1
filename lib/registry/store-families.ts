import type { Metric, Registry } from 'prom-client';
import { processShared } from '../shared/process-shared.js';

/**
 * The store of one capability (HTTP, database, cache) for each registry and namespace, kept under a
 * process-wide key so that the ESM and CommonJS copies of the package find the same one. Returns
 * the store and whether this call created it.
 * @internal
 */
export function storeFor<S>(sharedKey: string, registry: Registry, namespace: string, create: () => S): { store: S; created: boolean } {
  const stores = processShared(sharedKey, () => new WeakMap<Registry, Map<string, S>>());
  let byNamespace = stores.get(registry);
  if (byNamespace === undefined) stores.set(registry, (byNamespace = new Map()));
  const existing = byNamespace.get(namespace);
  if (existing !== undefined) return { store: existing, created: false };
  const store = create();
  byNamespace.set(namespace, store);
  return { store, created: true };
}

/**
 * Registers every family on `registry` under its (namespaced) name, unless a metric of this store
 * is already there: idempotent for a second module or app, and families removed by
 * `registry.clear()` come back. A name held by other code is an error that says how to avoid it.
 * @internal
 */
export function registerStoreFamilies<F extends { readonly name: string }>(
  registry: Registry,
  namespace: string,
  families: ReadonlyArray<F>,
  ours: (existing: unknown) => boolean,
  create: (name: string, family: F) => Metric,
  /** How to turn the capability off, e.g. "`database: false`". */
  off: string,
): void {
  for (const family of families) {
    const name = namespace === '' ? family.name : `${namespace}_${family.name}`;
    const existing = registry.getSingleMetric(name) as unknown;
    if (existing !== undefined && ours(existing)) continue;
    if (existing !== undefined) {
      throw new Error(
        `nest-prometheus: metric "${name}" is already registered on this registry by other code; ` +
          `remove it, set another \`namespace\`, or turn these metrics off with ${off}`,
      );
    }
    registry.registerMetric(create(name, family));
  }
}

/** Whether two bucket lists are the same. @internal */
export function sameBuckets(a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

import type { DiscoveryService } from '@nestjs/core';

/** One provider instance found in the app, with the token it was registered under. @internal */
export interface FoundProvider<T> {
  readonly token: unknown;
  readonly instance: T;
}

/**
 * Every distinct instance among the app's resolved providers that `matches` accepts (duck-typed, so
 * that finding, say, a TypeORM `DataSource` never imports TypeORM). An instance exported through
 * several modules is returned once, with the first token it was found under. Providers that are not
 * instantiated (request-scoped, transient, not yet resolved) are skipped.
 * @internal
 */
export function findProviderInstances<T>(discovery: DiscoveryService, matches: (instance: unknown) => instance is T): FoundProvider<T>[] {
  const seen = new Set<unknown>();
  const found: FoundProvider<T>[] = [];
  for (const wrapper of discovery.getProviders()) {
    let instance: unknown;
    try {
      instance = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
    } catch {
      continue;
    }
    if (instance === undefined || instance === null || seen.has(instance)) continue;
    let accepted = false;
    try {
      accepted = matches(instance);
    } catch {
      accepted = false;
    }
    if (!accepted) continue;
    seen.add(instance);
    found.push({ token: wrapper.token, instance: instance as T });
  }
  return found;
}

import type { Mysql2Route } from './mysql2-routes.js';

/** The route whose connection config was read last (see `markMysql2Config`). */
let lastRead: Mysql2Route | undefined;

/**
 * Lets a tracing event name the instance it comes from. mysql2 builds each event's context from
 * the connection's own config, reading `config.database` just before it publishes the event, and
 * every connection of a pool gets a copy of the pool's config (accessors included). Turning
 * `database` on this instance's config into an accessor that remembers the route, and keeps one
 * value per config copy exactly as a plain property would, tells the subscriber which instance is
 * speaking. Only this instance's config object changes; mysql2's code is not touched.
 * @internal
 */
export function markMysql2Config(config: object, route: Mysql2Route): void {
  const descriptor = Object.getOwnPropertyDescriptor(config, 'database');
  if (descriptor === undefined || !('value' in descriptor) || descriptor.configurable === false) return;
  const initial: unknown = descriptor.value;
  const values = new WeakMap<object, unknown>();
  Object.defineProperty(config, 'database', {
    configurable: true,
    enumerable: descriptor.enumerable ?? true,
    get(this: object) {
      lastRead = route;
      return values.has(this) ? values.get(this) : initial;
    },
    set(this: object, value: unknown) {
      values.set(this, value);
    },
  });
}

/**
 * The route whose config was read for the event being published, if the event's endpoint is that
 * route's; cleared on every call so that a stale read is never used twice.
 * @internal
 */
export function takeMarkedRoute(context: { serverAddress?: string; serverPort?: number; database?: string }): Mysql2Route | undefined {
  const route = lastRead;
  lastRead = undefined;
  if (route === undefined || route.serverAddress !== context.serverAddress || route.serverPort !== context.serverPort) return undefined;
  return route;
}

import { RENDER_METADATA } from '@nestjs/common/constants.js';
import { SKIP_METRICS_METADATA } from './http.constants.js';
import type { RouteInfo } from './route-info.js';

const cache = new WeakMap<object, Map<string, RouteInfo>>();

/**
 * The `RouteInfo` of a controller method, read from its metadata once and cached per controller
 * class (request-scoped controllers build their pipeline per request).
 * @internal
 */
export function routeInfoFor(instance: object, callback: unknown, methodName: string): RouteInfo {
  return routeInfoOf((instance as { constructor: object }).constructor, callback, methodName);
}

/** `routeInfoFor` by controller class (what an `ExecutionContext` gives). @internal */
export function routeInfoOf(controllerClass: object, callback: unknown, methodName: string): RouteInfo {
  const controller = controllerClass as { name: string };
  let byMethod = cache.get(controller);
  if (byMethod === undefined) cache.set(controller, (byMethod = new Map()));
  let info = byMethod.get(methodName);
  if (info === undefined) {
    const target = typeof callback === 'function' ? callback : undefined;
    const skip =
      (target !== undefined && Reflect.getMetadata(SKIP_METRICS_METADATA, target) === true) ||
      Reflect.getMetadata(SKIP_METRICS_METADATA, controller) === true;
    const template: unknown = target === undefined ? undefined : Reflect.getMetadata(RENDER_METADATA, target);
    info = Object.freeze({ handler: `${controller.name}.${methodName}`, skip, template: typeof template === 'string' ? template : undefined });
    byMethod.set(methodName, info);
  }
  return info;
}

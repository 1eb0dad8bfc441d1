import { performance } from 'node:perf_hooks';
// Namespace imports: a class renamed or removed in a future Nest comes out `undefined` (and is
// reported as unrecognised) instead of failing to link this module.
import * as exceptionsHandlerModule from '@nestjs/core/exceptions/exceptions-handler.js';
import * as routerExecutionContextModule from '@nestjs/core/router/router-execution-context.js';
import { exceptionTypeName } from './exception-type-name.js';
import { HOOKS_INSTALLED, unrecognisedHandlerHookShape, type HandlerHookTargets } from './handler-hook-shape.js';
import { requestStateOf } from './request-states.js';
import { routeInfoFor } from './route-info.factory.js';

type RouteHandler = (req: unknown, res: unknown, next: unknown) => unknown;
type Create = (this: unknown, instance: object, callback: unknown, methodName: string, ...rest: unknown[]) => RouteHandler;
type Next = (this: unknown, exception: unknown, host: { getArgByIndex?(index: number): unknown }) => unknown;

function prototypeOf(namespace: object, name: string): object | undefined {
  const cls = (namespace as Record<string, unknown>)[name];
  return typeof cls === 'function' ? (cls.prototype as object) : undefined;
}

/** The private Nest prototypes of the `@nestjs/core` this package resolves. @internal */
export function nestHandlerHookTargets(): HandlerHookTargets {
  return {
    context: prototypeOf(routerExecutionContextModule, 'RouterExecutionContext'),
    exceptions: prototypeOf(exceptionsHandlerModule, 'ExceptionsHandler'),
  };
}

/**
 * Hooks the two places where Nest runs a route handler, once per process, if their shapes are the
 * ones measured (see `unrecognisedHandlerHookShape`):
 * - `RouterExecutionContext#create` builds, at bootstrap, the function that runs a handler's
 *   guards, interceptors, pipes and the handler itself. Its result is wrapped so that a request
 *   entering it is marked with the handler's `RouteInfo` (view, `@SkipMetrics()`, `@Render`) and
 *   the time; nothing else changes (same arguments, same return value, same errors).
 * - `ExceptionsHandler#next` receives whatever that function threw before the exception filters
 *   run; it notes the class name on the request.
 * Both only act on requests an instrumented app marked, so other apps in the process are untouched.
 * @returns `undefined` when hooked (now or before), else why not: nothing was changed then, and
 *   the caller falls back to the global `HttpMetricsInterceptor`
 * @internal
 */
export function installHandlerHooks(targets: HandlerHookTargets = nestHandlerHookTargets()): string | undefined {
  const problem = unrecognisedHandlerHookShape(targets);
  if (problem !== undefined) return problem;

  const contextProto = targets.context as { create: Create; [HOOKS_INSTALLED]?: true };
  if (contextProto[HOOKS_INSTALLED] !== true) {
    const create = contextProto.create;
    // Same arity as the original (5), so that the shape check of another copy still recognises it.
    contextProto.create = function instrumentedCreate(this: unknown, instance, callback, methodName, moduleKey: unknown, requestMethod: unknown, ...rest: unknown[]) {
      const handler = create.call(this, instance, callback, methodName, moduleKey, requestMethod, ...rest);
      if (typeof handler !== 'function') return handler;
      const info = routeInfoFor(instance, callback, methodName);
      return function instrumentedRouteHandler(req: unknown, res: unknown, next: unknown): unknown {
        const state = requestStateOf(req);
        if (state !== undefined) {
          state.route = info;
          state.handlerStart = performance.now();
        }
        return handler(req, res, next);
      };
    } as Create;
    contextProto[HOOKS_INSTALLED] = true;
  }

  const handlerProto = targets.exceptions as { next: Next; [HOOKS_INSTALLED]?: true };
  if (handlerProto[HOOKS_INSTALLED] !== true) {
    const next = handlerProto.next;
    handlerProto.next = function instrumentedNext(this: unknown, exception, host) {
      const state = typeof host?.getArgByIndex === 'function' ? requestStateOf(host.getArgByIndex(0)) : undefined;
      if (state !== undefined && state.route !== undefined && state.exception === undefined) {
        state.exception = exceptionTypeName(exception);
      }
      return next.call(this, exception, host);
    };
    handlerProto[HOOKS_INSTALLED] = true;
  }
  return undefined;
}

import { ExceptionsHandler } from '@nestjs/core/exceptions/exceptions-handler.js';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context.js';
import { exceptionTypeName } from './exception-type-name.js';
import { HTTP_REQUEST_STATE } from './http.constants.js';
import type { HttpRequestState } from './http-request-state.js';
import { routeInfoFor } from './route-info.factory.js';

const INSTALLED = Symbol.for('nest-prometheus:handler-hooks');

type RouteHandler = (req: unknown, res: unknown, next: unknown) => unknown;
type Create = (this: unknown, instance: object, callback: unknown, methodName: string, ...rest: unknown[]) => RouteHandler;
type Next = (this: unknown, exception: unknown, host: { getArgByIndex?(index: number): unknown }) => unknown;

function stateOf(request: unknown): HttpRequestState | undefined {
  return typeof request === 'object' && request !== null
    ? ((request as Record<symbol, HttpRequestState | undefined>)[HTTP_REQUEST_STATE])
    : undefined;
}

/**
 * Hooks the two places where Nest runs a route handler, once per process:
 * - `RouterExecutionContext#create` builds, at bootstrap, the function that runs a handler's
 *   guards, interceptors, pipes and the handler itself. Its result is wrapped so that a request
 *   entering it is marked with the handler's `RouteInfo` (view, `@SkipMetrics()`, `@Render`) and
 *   the time; nothing else changes (same arguments, same return value, same errors).
 * - `ExceptionsHandler#next` receives whatever that function threw before the exception filters
 *   run; it notes the class name on the request.
 * Both only act on requests an instrumented app marked, so other apps in the process are untouched.
 * @internal
 */
export function installHandlerHooks(): void {
  const contextProto = RouterExecutionContext.prototype as unknown as { create: Create; [INSTALLED]?: true };
  if (contextProto[INSTALLED] !== true) {
    const create = contextProto.create;
    contextProto.create = function instrumentedCreate(this: unknown, instance, callback, methodName, ...rest) {
      const handler = create.call(this, instance, callback, methodName, ...rest);
      const info = routeInfoFor(instance, callback, methodName);
      return function instrumentedRouteHandler(req: unknown, res: unknown, next: unknown): unknown {
        const state = stateOf(req);
        if (state !== undefined) {
          state.route = info;
          state.handlerStart = performance.now();
        }
        return handler(req, res, next);
      };
    };
    contextProto[INSTALLED] = true;
  }

  const handlerProto = ExceptionsHandler.prototype as unknown as { next: Next; [INSTALLED]?: true };
  if (handlerProto[INSTALLED] !== true) {
    const next = handlerProto.next;
    handlerProto.next = function instrumentedNext(this: unknown, exception, host) {
      const state = typeof host?.getArgByIndex === 'function' ? stateOf(host.getArgByIndex(0)) : undefined;
      if (state !== undefined && state.route !== undefined && state.exception === undefined) {
        state.exception = exceptionTypeName(exception);
      }
      return next.call(this, exception, host);
    };
    handlerProto[INSTALLED] = true;
  }
}

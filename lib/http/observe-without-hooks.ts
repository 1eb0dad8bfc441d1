import { performance } from 'node:perf_hooks';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { tap, type Observable } from 'rxjs';
import { exceptionTypeName } from './exception-type-name.js';
import type { HttpRequestState } from './http-request-state.js';
import { routeInfoOf } from './route-info.factory.js';

/**
 * The interceptor's half of the fallback used when Nest's private route-handler hooks are not
 * recognised: marks the request with its handler's `RouteInfo` and start time (what the
 * `RouterExecutionContext#create` hook does), and notes the class of an error thrown inside
 * `next.handle()` (what the `ExceptionsHandler#next` hook does). The error itself passes on untouched.
 * @internal
 */
export function observeWithoutHooks(state: HttpRequestState, context: ExecutionContext, next: CallHandler): Observable<unknown> {
  const handler = context.getHandler();
  state.route = routeInfoOf(context.getClass(), handler, handler.name);
  state.handlerStart = performance.now();
  return next.handle().pipe(
    tap({
      error: (error: unknown) => {
        if (state.exception === undefined) state.exception = exceptionTypeName(error);
      },
    }),
  );
}

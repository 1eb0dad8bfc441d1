import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { requestStateOf } from './request-states.js';
import { observeWithoutHooks } from './observe-without-hooks.js';

/**
 * The extension point for extra labels on the per-view HTTP metrics
 * (`requests_latency_seconds_by_view_method`, `requests_total_by_view_transport_method_total`,
 * `responses_total_by_status_view_method_total`, `exceptions_total_by_view_total`), for values
 * only the execution context knows: the handler's metadata, the authenticated user, a tenant.
 *
 * Subclass it, override `labels()`, and bind the subclass with `APP_INTERCEPTOR` or
 * `@UseInterceptors()`. The base class adds nothing, and the module does not register it globally:
 * any global interceptor costs far more per request than the default adapter hooks. Requests of
 * handlers it does not run for (another interceptor's scope, a guard that refused) get `""` for
 * the extra labels. Non-HTTP contexts (GraphQL, microservices, WebSockets) pass through untouched.
 *
 * @example
 * ＠Injectable()
 * export class TenantMetricsInterceptor extends HttpMetricsInterceptor {
 *   protected override labels(context: ExecutionContext) {
 *     return { tenant: context.switchToHttp().getRequest().headers['x-tenant'] ?? 'none' };
 *   }
 * }
 * // providers: [{ provide: APP_INTERCEPTOR, useClass: TenantMetricsInterceptor }]
 */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  /**
   * Extra labels of the current request: label names (valid Prometheus names other than `view`,
   * `method`, `status`, `transport`, `le`) to values. Keep values bounded: every distinct value is a
   * new series.
   */
  protected labels(_context: ExecutionContext): Readonly<Record<string, string>> | undefined {
    return undefined;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request: unknown = context.switchToHttp().getRequest();
      const state = requestStateOf(request);
      if (state !== undefined) {
        const labels = this.labels(context);
        if (labels !== undefined) state.extraLabels = labels;
        // No view yet: Nest's private hooks are not installed (unrecognised Nest release), and this
        // interceptor, bound globally as the fallback, measures the handler itself.
        if (state.route === undefined) return observeWithoutHooks(state, context, next);
      }
    }
    return next.handle();
  }
}

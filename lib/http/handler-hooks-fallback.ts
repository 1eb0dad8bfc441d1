import { Logger, type Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { nestCoreVersion } from '../shared/nest-core-version.js';
import { processShared } from '../shared/process-shared.js';
import { unrecognisedHandlerHookShape } from './handler-hook-shape.js';
import { HttpMetricsInterceptor } from './http-metrics.interceptor.js';
import { nestHandlerHookTargets } from './install-handler-hooks.js';

/**
 * The providers of the public fallback: none when Nest's private route-handler hooks are
 * recognised, else `HttpMetricsInterceptor` bound globally (`APP_INTERCEPTOR`), which then marks
 * each request with its view and exception itself. Decided when the module is defined, since
 * global interceptors must be known before Nest builds its routes.
 * @internal
 */
export function handlerHooksFallbackProviders(): Provider[] {
  return unrecognisedHandlerHookShape(nestHandlerHookTargets()) === undefined ? [] : [{ provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor }];
}

const warned = processShared('handler-hooks-warned:v1', () => ({ done: false }));

/** Logs, once per process, that the hooks were not installed and why. @internal */
export function warnHandlerHooksFallback(problem: string): void {
  if (warned.done) return;
  warned.done = true;
  new Logger('PrometheusModule').warn(
    `Nest's private route-handler hooks are not recognised on @nestjs/core ${nestCoreVersion()} (${problem}); ` +
      'HTTP metrics come from HttpMetricsInterceptor bound globally instead: same series, a higher cost per request, ' +
      'and requests refused by guards get no view (see docs/compatibility.md)',
  );
}

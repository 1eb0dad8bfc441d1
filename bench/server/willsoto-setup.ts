import { Injectable, Module, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InjectMetric, PrometheusModule, makeCounterProvider, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { finalize, type Observable } from 'rxjs';

interface HttpRequestLike {
  readonly method: string;
  readonly route?: { path?: string };
  readonly routeOptions?: { url?: string };
}

/**
 * The interceptor `@willsoto/nestjs-prometheus` users write by hand (the package records no HTTP
 * metrics itself): a request counter and a latency histogram labelled by method, route and status.
 */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  constructor(
    @InjectMetric('http_requests_total') private readonly requests: Counter<string>,
    @InjectMetric('http_request_duration_seconds') private readonly duration: Histogram<string>,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const started = performance.now();
    return next.handle().pipe(
      finalize(() => {
        const labels = {
          method: request.method,
          route: request.route?.path ?? request.routeOptions?.url ?? 'unknown',
          status: String(http.getResponse<{ statusCode: number }>().statusCode),
        };
        this.requests.inc(labels);
        this.duration.observe(labels, (performance.now() - started) / 1000);
      }),
    );
  }
}

/** `PrometheusModule.register()` (default metrics, `/metrics`) plus the interceptor and its two metrics. */
@Module({
  imports: [PrometheusModule.register()],
  providers: [
    makeCounterProvider({ name: 'http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'] }),
    makeHistogramProvider({ name: 'http_request_duration_seconds', help: 'HTTP latency', labelNames: ['method', 'route', 'status'] }),
    { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
  ],
})
export class WillsotoMetricsModule {}

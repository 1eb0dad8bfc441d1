import { Get, Injectable, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MetricsExpositionService } from '../export/metrics-exposition.service.js';
import { SkipMetrics } from '../http/skip-metrics.decorator.js';

/**
 * Serves the registry at `GET /<controller.path>`. The module mounts a subclass of it configured
 * with the path, guards and decorators of its options; this class itself is never mutated.
 * Its requests are left out of the HTTP metrics (`@SkipMetrics()`, inherited by the subclasses).
 */
@SkipMetrics()
@Injectable()
export class MetricsController {
  constructor(
    private readonly exposition: MetricsExpositionService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  async index(@Res({ passthrough: true }) response: unknown): Promise<string> {
    const { contentType, body } = await this.exposition.render();
    this.adapterHost.httpAdapter.setHeader(response, 'Content-Type', contentType);
    return body;
  }
}

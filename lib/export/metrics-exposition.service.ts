import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { PROMETHEUS_REGISTRY } from '../prometheus.constants.js';

/** One rendering of the registry: body and the content type to send it with. */
export interface MetricsExposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * Renders what a scrape returns. The `/metrics` controller and the standalone port both go
 * through it, so they always serve the same exposition.
 */
@Injectable()
export class MetricsExpositionService {
  constructor(@Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry) {}

  async render(): Promise<MetricsExposition> {
    const body = await this.registry.metrics();
    return { contentType: this.registry.contentType, body };
  }
}

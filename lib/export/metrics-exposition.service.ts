import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { MultiprocessMetricsService } from '../multiprocess/multiprocess-metrics.service.js';
import { PROMETHEUS_REGISTRY } from '../prometheus.constants.js';
import { renderRegistry } from './render-registry.js';

/** One rendering of the registry: body and the content type to send it with. */
export interface MetricsExposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * Renders what a scrape returns. The `/metrics` controller and the standalone port both go
 * through it, so they always serve the same exposition: the registry, or with `multiprocessDir`
 * the aggregate of every process sharing the directory. Rendering goes through `renderRegistry`:
 * the same bytes as `registry.metrics()`, faster, in slices that let requests run in between.
 */
@Injectable()
export class MetricsExpositionService {
  constructor(
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
    private readonly multiprocess: MultiprocessMetricsService,
  ) {}

  async render(): Promise<MetricsExposition> {
    const registry = this.multiprocess.enabled ? await this.multiprocess.aggregate() : this.registry;
    return { contentType: this.registry.contentType, body: await renderRegistry(registry) };
  }
}

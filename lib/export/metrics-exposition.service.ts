import { Inject, Injectable } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { MultiprocessMetricsService } from '../multiprocess/multiprocess-metrics.service.js';
import { PROMETHEUS_REGISTRY } from '../prometheus.constants.js';
import { renderRegistry, renderRegistryChunks } from './render-registry.js';

/** One rendering of the registry: body and the content type to send it with. */
export interface MetricsExposition {
  readonly contentType: string;
  readonly body: string;
}

/**
 * One rendering of the registry handed out in chunks as it is rendered (see
 * `renderRegistryChunks`): the chunks joined are the body. Iterate it once; stopping early stops
 * the rendering.
 */
export interface StreamedMetricsExposition {
  readonly contentType: string;
  readonly chunks: AsyncIterable<string>;
}

/**
 * Renders what a scrape returns. The `/metrics` controller and the standalone port both go
 * through it, so they always serve the same exposition: the registry, or with `multiprocessDir`
 * the aggregate of every process sharing the directory. Rendering goes through `renderRegistry`:
 * the same bytes as `registry.metrics()`, faster, in slices that let requests run in between.
 * The controller and the port use `stream()`, which hands the body out in chunks of about 64 KB
 * as they are rendered, so a large exposition is never assembled into one string.
 */
@Injectable()
export class MetricsExpositionService {
  constructor(
    @Inject(PROMETHEUS_REGISTRY) private readonly registry: Registry,
    private readonly multiprocess: MultiprocessMetricsService,
  ) {}

  /** The whole exposition as one string. */
  async render(): Promise<MetricsExposition> {
    const registry = this.multiprocess.enabled ? await this.multiprocess.aggregate() : this.registry;
    return { contentType: this.registry.contentType, body: await renderRegistry(registry) };
  }

  /**
   * The same exposition in chunks: the aggregate (with `multiprocessDir`) is built before this
   * resolves, the text is rendered while the chunks are consumed.
   */
  async stream(): Promise<StreamedMetricsExposition> {
    const registry = this.multiprocess.enabled ? await this.multiprocess.aggregate() : this.registry;
    return { contentType: this.registry.contentType, chunks: renderRegistryChunks(registry) };
  }
}

import { Readable } from 'node:stream';
import { Get, Injectable, Res, StreamableFile } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MetricsExpositionService } from '../export/metrics-exposition.service.js';
import { prepareBody, remainingChunks } from '../export/send-exposition.js';
import { SkipMetrics } from '../http/skip-metrics.decorator.js';

/**
 * Serves the registry at `GET /<controller.path>`. The module mounts a subclass of it configured
 * with the path, guards and decorators of its options; this class itself is never mutated.
 * Its requests are left out of the HTTP metrics (`@SkipMetrics()`, inherited by the subclasses).
 *
 * A body that fits in one chunk (about 64 KB) is returned as a string, as before. A larger one
 * comes back as a `StreamableFile` whose stream hands out the chunks as they are rendered: both
 * adapters write it with backpressure, without `Content-Length`, and destroy it (which stops the
 * rendering) when the client goes away.
 */
@SkipMetrics()
@Injectable()
export class MetricsController {
  constructor(
    private readonly exposition: MetricsExpositionService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  async index(@Res({ passthrough: true }) response: unknown): Promise<string | StreamableFile> {
    const exposition = await this.exposition.stream();
    // A rendering that fails at once rejects here, before any header: Nest answers 500 as before.
    const body = await prepareBody(exposition);
    this.adapterHost.httpAdapter.setHeader(response, 'Content-Type', exposition.contentType);
    if (body.whole !== undefined) return body.whole;
    // One chunk at a time in the stream's buffer; the rendering waits while the socket drains.
    return new StreamableFile(Readable.from(remainingChunks(body), { highWaterMark: 1 }), { type: exposition.contentType });
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { InjectRegistry, renderRegistry } from 'nest-prometheus';
import type { Registry } from 'prom-client';

/** `GET /metrics-sliced`: the same registry as `/metrics`, rendered by `renderRegistry`. */
@Controller('metrics-sliced')
export class SlicedMetricsController {
  constructor(@InjectRegistry() private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return renderRegistry(this.registry);
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { InjectRegistry } from 'nest-prometheus';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics-prom-client`: the same registry as the package's `/metrics`, rendered the way
 * prom-client does it (`registry.metrics()`, one synchronous stretch), for comparison with the
 * package's controller, which renders through `renderRegistry`.
 */
@Controller('metrics-prom-client')
export class PromClientMetricsController {
  constructor(@InjectRegistry() private readonly registry: Registry) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  render(): Promise<string> {
    return this.registry.metrics();
  }
}

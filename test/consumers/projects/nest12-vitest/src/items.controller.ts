import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { InjectMetric, SkipMetrics } from 'nest-prometheus';
import { Counter } from 'prom-client';

@Controller('items')
export class ItemsController {
  constructor(@InjectMetric('shop_item_views_total') private readonly views: Counter<string>) {}

  @Get(':id')
  getOne(@Param('id') id: string): { id: string } {
    if (id === 'missing') throw new NotFoundException(`no item ${id}`);
    this.views.inc();
    return { id };
  }

  @Get('health/check')
  @SkipMetrics()
  health(): { ok: true } {
    return { ok: true };
  }
}

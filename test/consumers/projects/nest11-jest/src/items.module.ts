import { Module } from '@nestjs/common';
import { makeCounterProvider } from 'nest-prometheus';
import { ItemsController } from './items.controller';

@Module({
  controllers: [ItemsController],
  providers: [makeCounterProvider({ name: 'shop_item_views_total', help: 'Item pages shown.' })],
})
export class ItemsModule {}

import { Controller, Get, Param } from '@nestjs/common';

/** The route every variant serves: `GET /items/:id`, a small JSON body. */
@Controller('items')
export class ItemsController {
  @Get(':id')
  getOne(@Param('id') id: string): { id: string; name: string } {
    return { id, name: `item ${id}` };
  }
}

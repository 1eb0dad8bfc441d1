import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

@Controller('sql')
export class SqlController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs the query as given: rows as JSON, or 500 when the database rejects it. */
  @Get()
  async run(@Query('query') query: string | undefined): Promise<unknown> {
    if (!query) throw new BadRequestException('query parameter "query" is required');
    return this.dataSource.query(query);
  }
}

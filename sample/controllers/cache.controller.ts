import { CACHE_MANAGER, type Cache } from '@nestjs/cache-manager';
import { BadRequestException, Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Put } from '@nestjs/common';

@Controller('cache')
export class CacheController {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  @Put(':key')
  @HttpCode(204)
  async set(@Param('key') key: string, @Body() body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || !('value' in body)) throw new BadRequestException('expected {"value": …}');
    await this.cache.set(key, (body as { value: unknown }).value);
  }

  @Get(':key')
  async get(@Param('key') key: string): Promise<{ value: unknown }> {
    const value = await this.cache.get(key);
    if (value === undefined || value === null) throw new NotFoundException(`no cache entry ${key}`);
    return { value };
  }
}

import { Controller, Get, Render, StreamableFile } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ObjectionException } from '../objection.exception.js';
import { ASSET_FILE } from '../sample-paths.js';

@Controller()
export class PagesController {
  @Get()
  @Render('index')
  index(): { title: string } {
    return { title: 'nest-prometheus sample' };
  }

  @Get('help')
  help(): { routes: string[] } {
    return {
      routes: ['GET /', 'GET /help', 'GET /slow', 'GET /objection', 'GET /file', 'GET /sql?query=…', 'POST /newlawn/:location',
        'POST /dogs', 'PATCH /dogs/:id', 'DELETE /dogs/:id', 'PUT /cache/:key', 'GET /cache/:key', 'GET /metrics'],
    };
  }

  @Get('slow')
  async slow(): Promise<{ slept_ms: number }> {
    await delay(100);
    return { slept_ms: 100 };
  }

  @Get('objection')
  objection(): never {
    throw new ObjectionException();
  }

  @Get('file')
  file(): StreamableFile {
    return new StreamableFile(createReadStream(ASSET_FILE), { type: 'text/plain; charset=utf-8' });
  }
}

import { Controller, Param, Post } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Lawn } from '../entities/lawn.entity.js';

@Controller('newlawn')
export class LawnsController {
  constructor(@InjectRepository(Lawn) private readonly lawns: Repository<Lawn>) {}

  @Post(':location')
  create(@Param('location') location: string): Promise<Lawn> {
    return this.lawns.save(this.lawns.create({ location }));
  }
}

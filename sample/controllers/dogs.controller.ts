import { BadRequestException, Body, Controller, Delete, HttpCode, NotFoundException, Param, ParseIntPipe, Patch, Post } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Dog } from '../entities/dog.entity.js';

type DogInput = Partial<Pick<Dog, 'name' | 'breed' | 'age'>>;

function checked(body: unknown, partial: boolean): DogInput {
  if (typeof body !== 'object' || body === null) throw new BadRequestException('expected a JSON object');
  const { name, breed, age } = body as Record<string, unknown>;
  if ((!partial || name !== undefined) && (typeof name !== 'string' || name === '')) throw new BadRequestException('"name" must be a non-empty string');
  if (breed !== undefined && breed !== null && typeof breed !== 'string') throw new BadRequestException('"breed" must be a string');
  if (age !== undefined && age !== null && !Number.isInteger(age)) throw new BadRequestException('"age" must be an integer');
  const input: DogInput = {};
  if (name !== undefined) input.name = name as string;
  if (breed !== undefined) input.breed = breed as string | null;
  if (age !== undefined) input.age = age as number | null;
  return input;
}

@Controller('dogs')
export class DogsController {
  constructor(@InjectRepository(Dog) private readonly dogs: Repository<Dog>) {}

  @Post()
  create(@Body() body: unknown): Promise<Dog> {
    return this.dogs.save(this.dogs.create(checked(body, false)));
  }

  @Patch(':id')
  async update(@Param('id', ParseIntPipe) id: number, @Body() body: unknown): Promise<Dog> {
    const dog = await this.dogs.findOneBy({ id });
    if (!dog) throw new NotFoundException(`no dog ${id}`);
    return this.dogs.save(this.dogs.merge(dog, checked(body, true)));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', ParseIntPipe) id: number): Promise<void> {
    const dog = await this.dogs.findOneBy({ id });
    if (!dog) throw new NotFoundException(`no dog ${id}`);
    await this.dogs.remove(dog);
  }
}

import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('lawn')
export class Lawn {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  location!: string;
}

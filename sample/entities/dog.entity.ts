import { MonitorModel } from 'nest-prometheus';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@MonitorModel('dog')
@Entity('dog')
export class Dog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  breed!: string | null;

  @Column({ type: 'int', nullable: true })
  age!: number | null;
}

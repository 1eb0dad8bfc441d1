import { MonitorModel } from 'nest-prometheus';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@MonitorModel('lawn')
@Entity('lawn')
export class Lawn {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  location!: string;
}

import { Column, DeleteDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { MonitorModel } from 'nest-prometheus';

@MonitorModel('dog')
@Entity('model_dog')
export class Dog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'int', nullable: true })
  age!: number | null;

  @DeleteDateColumn({ nullable: true })
  deletedAt!: Date | null;
}

/** Monitored but never written: its series must still be there, at 0. */
@MonitorModel('lawn')
@Entity('model_lawn')
export class Lawn {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  location!: string;
}

/** Not monitored: writes to it create no series. */
@Entity('model_bone')
export class Bone {
  @PrimaryGeneratedColumn()
  id!: number;
}

export const ENTITIES = [Dog, Lawn, Bone];

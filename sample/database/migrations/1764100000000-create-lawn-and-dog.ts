import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Creates the sample's tables; written with TypeORM's schema API so it runs on SQLite, PostgreSQL and MySQL. */
export class CreateLawnAndDog1764100000000 implements MigrationInterface {
  name = 'CreateLawnAndDog1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await queryRunner.createTable(
      new Table({ name: 'lawn', columns: [id, { name: 'location', type: 'varchar', length: '100' }] }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'dog',
        columns: [
          id,
          { name: 'name', type: 'varchar', length: '100' },
          { name: 'breed', type: 'varchar', length: '100', isNullable: true },
          { name: 'age', type: 'integer', isNullable: true },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dog', true);
    await queryRunner.dropTable('lawn', true);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Three migrations whose tables carry `suffix`, so that concurrent suites never collide. */
export function threeMigrations(suffix: string): Array<new () => MigrationInterface> {
  const make = (n: number, timestamp: number) => {
    const table = `migr_${suffix}_${n}`;
    const named = {
      [`Step${n}${timestamp}`]: class implements MigrationInterface {
        async up(runner: QueryRunner): Promise<void> {
          await runner.query(`CREATE TABLE ${table} (id integer PRIMARY KEY)`);
        }
        async down(runner: QueryRunner): Promise<void> {
          await runner.query(`DROP TABLE ${table}`);
        }
      },
    };
    return named[`Step${n}${timestamp}`]!;
  };
  return [make(1, 1764000000001), make(2, 1764000000002), make(3, 1764000000003)];
}

import type { DbVendor } from '../db-vendor.js';
import type { DriverKind } from '../instrument-driver-instance.js';

/** What a TypeORM driver type is measured as. @internal */
export interface TypeOrmTarget {
  readonly vendor: DbVendor;
  /** The driver measured underneath, or `undefined` when the package has no driver integration for it. */
  readonly kind: DriverKind | undefined;
}

const TARGETS: Readonly<Record<string, TypeOrmTarget>> = {
  postgres: { vendor: 'postgresql', kind: 'pg' },
  'aurora-postgres': { vendor: 'postgresql', kind: undefined },
  cockroachdb: { vendor: 'postgresql', kind: 'pg' },
  mysql: { vendor: 'mysql', kind: 'mysql2' },
  mariadb: { vendor: 'mysql', kind: 'mysql2' },
  'aurora-mysql': { vendor: 'mysql', kind: undefined },
  'better-sqlite3': { vendor: 'sqlite', kind: 'better-sqlite3' },
  sqlite: { vendor: 'sqlite', kind: undefined },
  capacitor: { vendor: 'sqlite', kind: undefined },
  cordova: { vendor: 'sqlite', kind: undefined },
  expo: { vendor: 'sqlite', kind: undefined },
  nativescript: { vendor: 'sqlite', kind: undefined },
  'react-native': { vendor: 'sqlite', kind: undefined },
  sqljs: { vendor: 'sqlite', kind: undefined },
};

/** The vendor label and driver of a TypeORM `options.type`: postgres → postgresql, mysql/mariadb → mysql, better-sqlite3/sqlite → sqlite. @internal */
export function typeOrmTarget(type: string): TypeOrmTarget {
  return TARGETS[type] ?? { vendor: type, kind: undefined };
}

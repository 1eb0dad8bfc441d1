/**
 * The number of rows a write statement reports in the raw driver result TypeORM hands to a
 * subscriber's `afterQuery`: `pg` (`command` UPDATE/DELETE with `rowCount`) and `mysql2`
 * (`affectedRows`). TypeORM's better-sqlite3 driver passes only the last insert rowid, so SQLite
 * gives `undefined`.
 * @internal
 */
export function affectedRows(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const result = raw as { command?: unknown; rowCount?: unknown; affectedRows?: unknown };
  if ((result.command === 'UPDATE' || result.command === 'DELETE') && typeof result.rowCount === 'number') return result.rowCount;
  if (typeof result.affectedRows === 'number') return result.affectedRows;
  return undefined;
}

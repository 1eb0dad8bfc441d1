import { monitoredModelName } from './monitor-model.decorator.js';
import { affectedRows } from './affected-rows.js';
import type { ModelCounters } from './model-counters.js';

/** The parts of TypeORM's subscriber events read here (no TypeORM import). @internal */
interface EntityEvent {
  readonly metadata?: { readonly target?: unknown };
  readonly entity?: unknown;
  readonly databaseEntity?: unknown;
  readonly queryRunner?: object;
}
interface QueryEvent {
  readonly queryRunner?: object;
  readonly success?: boolean;
  readonly rawResults?: unknown;
}

type Kind = keyof ModelCounters;

/**
 * A TypeORM entity subscriber that counts writes of `@MonitorModel` entities into every counter set
 * it holds. One is installed per DataSource, whatever the number of apps or registries.
 *
 * - `afterInsert`: once per row — `save()` of a new entity, `Repository.insert()`, `upsert()` and
 *   QueryBuilder inserts (TypeORM broadcasts one event per value set).
 * - `afterUpdate`: `save()` of an entity with changes (persistence, one per entity), or one
 *   QueryBuilder / `Repository.update()` statement, counted as the rows it reports (see below).
 * - `afterRemove` / `afterSoftRemove`: `remove()` / `softRemove()` per entity, `Repository.delete()`
 *   / `softDelete()` and QueryBuilder deletes per statement, counted as the rows it reports.
 *
 * A QueryBuilder update or delete event carries no row count: the count of the statement just before
 * it on the same query runner (`afterQuery`) is used where the driver reports one (PostgreSQL, MySQL);
 * elsewhere (better-sqlite3) the statement counts 1.
 * @internal
 */
export class ModelOperationsSubscriber {
  /** Counter sets to write to (one per registry + namespace in use), with how many apps use each. */
  private readonly sinks = new Map<ModelCounters, number>();
  private readonly lastAffected = new WeakMap<object, number>();

  /** Starts counting into `counters`; the returned function stops it (once per call). */
  addSink(counters: ModelCounters): () => void {
    this.sinks.set(counters, (this.sinks.get(counters) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const users = (this.sinks.get(counters) ?? 1) - 1;
      if (users <= 0) this.sinks.delete(counters);
      else this.sinks.set(counters, users);
    };
  }

  afterQuery(event: QueryEvent): void {
    try {
      if (event.success !== true || event.queryRunner === undefined) return;
      const rows = affectedRows(event.rawResults);
      if (rows !== undefined) this.lastAffected.set(event.queryRunner, rows);
    } catch {
      // never disturb the query
    }
  }

  afterInsert(event: EntityEvent): void {
    this.count('inserts', event, 1);
  }

  afterUpdate(event: EntityEvent): void {
    // Persistence (`save`) events carry the row as loaded from the database; QueryBuilder ones do not.
    this.count('updates', event, event.databaseEntity === undefined ? this.statementRows(event) : 1);
  }

  afterRemove(event: EntityEvent): void {
    this.count('deletes', event, event.entity === undefined ? this.statementRows(event) : 1);
  }

  afterSoftRemove(event: EntityEvent): void {
    this.count('deletes', event, event.entity === undefined ? this.statementRows(event) : 1);
  }

  private statementRows(event: EntityEvent): number {
    if (event.queryRunner === undefined) return 1;
    const rows = this.lastAffected.get(event.queryRunner);
    this.lastAffected.delete(event.queryRunner);
    return rows ?? 1;
  }

  private count(kind: Kind, event: EntityEvent, rows: number): void {
    try {
      const model = monitoredModelName(event.metadata?.target);
      if (model === undefined || rows <= 0) return;
      for (const sink of this.sinks.keys()) sink[kind].inc({ model }, rows);
    } catch {
      // instrumentation never breaks a write
    }
  }
}

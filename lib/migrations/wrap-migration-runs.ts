import type { TypeOrmDataSourceLike } from '../discovery/is-typeorm-data-source.js';
import { processShared } from '../shared/process-shared.js';

type Listener = () => void;

const LISTENERS = processShared('migration-run-listeners:v1', () => new WeakMap<object, Set<Listener>>());

/**
 * Calls `listener` after every later `runMigrations()` / `undoLastMigration()` of `dataSource`
 * (whether it succeeded or failed). The two methods are wrapped once per DataSource, however many
 * apps listen; the wrapper returns and throws exactly what the original does.
 * @returns a function that stops the listening
 * @internal
 */
export function onMigrationRuns(dataSource: TypeOrmDataSourceLike, listener: Listener): () => void {
  let listeners = LISTENERS.get(dataSource);
  if (listeners === undefined) {
    listeners = new Set();
    LISTENERS.set(dataSource, listeners);
    const notify = listeners;
    const target = dataSource as unknown as Record<'runMigrations' | 'undoLastMigration', (...args: unknown[]) => Promise<unknown>>;
    for (const method of ['runMigrations', 'undoLastMigration'] as const) {
      const original = target[method];
      target[method] = function (this: unknown, ...args: unknown[]): Promise<unknown> {
        const result = original.apply(this, args);
        const after = () => {
          for (const l of notify) l();
        };
        // A side branch: the caller gets `result` itself, its value and its error untouched.
        Promise.resolve(result).then(after, after);
        return result;
      };
    }
  }
  listeners.add(listener);
  const own = listeners;
  return () => own.delete(listener);
}

import { processShared } from '../shared/process-shared.js';
const MODEL_NAMES = processShared('model-names:v1', () => new WeakMap<object, string>());

/**
 * Marks a TypeORM entity for the model counters `nestjs_model_inserts_total`,
 * `nestjs_model_updates_total` and `nestjs_model_deletes_total` under `model="<name>"` — the analogue
 * of django-prometheus's `ExportModelOperationsMixin('dog')`. Stores the name only; nothing is
 * imported from TypeORM. A subclass of a marked entity counts under its parent's name unless it is
 * marked itself.
 * @param name the `model` label value
 * @example
 * ```ts
 * @MonitorModel('dog')
 * @Entity()
 * export class Dog { … }
 * ```
 */
export function MonitorModel(name: string): ClassDecorator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new TypeError(`@MonitorModel(name): name is ${JSON.stringify(name)}; expected a non-empty string (the "model" label value)`);
  }
  return (target) => {
    MODEL_NAMES.set(target, name);
  };
}

/** The `@MonitorModel` name of `target` or of its nearest marked parent class. @internal */
export function monitoredModelName(target: unknown): string | undefined {
  let current: unknown = target;
  while (typeof current === 'function') {
    const name = MODEL_NAMES.get(current);
    if (name !== undefined) return name;
    current = Object.getPrototypeOf(current);
  }
  return undefined;
}

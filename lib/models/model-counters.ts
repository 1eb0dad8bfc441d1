import { Counter, type Registry } from 'prom-client';
import { getOrCreateMetric } from '../registry/get-or-create-metric.js';

/** The three model counters of one registry and namespace. @internal */
export interface ModelCounters {
  readonly inserts: Counter<'model'>;
  readonly updates: Counter<'model'>;
  readonly deletes: Counter<'model'>;
}

const SETS = new WeakMap<Counter<'model'>, ModelCounters>();

/**
 * Gets or creates the model counters on `registry` (idempotent). The same three counters always come
 * back as the same object, so a subscriber holding it twice still counts once.
 * @internal
 */
export function ensureModelCounters(registry: Registry, namespace: string): ModelCounters {
  const prefix = namespace === '' ? '' : `${namespace}_`;
  const counter = (name: string, help: string) =>
    getOrCreateMetric(registry, Counter<'model'>, { name: `${prefix}nestjs_model_${name}_total`, help, labelNames: ['model'] as const });
  const inserts = counter('inserts', 'Number of insert operations by model.');
  const updates = counter('updates', 'Number of update operations by model.');
  const deletes = counter('deletes', 'Number of delete operations by model.');
  const known = SETS.get(inserts);
  if (known !== undefined && known.updates === updates && known.deletes === deletes) return known;
  const set: ModelCounters = { inserts, updates, deletes };
  SETS.set(inserts, set);
  return set;
}

/** Creates the `model` series at 0 so dashboards see every monitored model before its first write. @internal */
export function zeroModelSeries(counters: ModelCounters, model: string): void {
  counters.inserts.inc({ model }, 0);
  counters.updates.inc({ model }, 0);
  counters.deletes.inc({ model }, 0);
}

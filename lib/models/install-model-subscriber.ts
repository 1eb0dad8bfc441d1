import type { TypeOrmDataSourceLike } from '../discovery/is-typeorm-data-source.js';
import type { ModelCounters } from './model-counters.js';
import { ModelOperationsSubscriber } from './model-operations.subscriber.js';
import { processShared } from '../shared/process-shared.js';

const INSTALLED = processShared('model-subscribers:v1', () => new WeakMap<object, ModelOperationsSubscriber>());

/**
 * Makes `dataSource` count monitored-model writes into `counters`. The subscriber is pushed onto
 * `dataSource.subscribers` once per DataSource; instrumenting it again (a second app, a second
 * registry) adds a counter set to it, and the same set twice counts once.
 * @returns a function that stops counting into `counters`
 * @internal
 */
export function installModelSubscriber(dataSource: TypeOrmDataSourceLike, counters: ModelCounters): () => void {
  let subscriber = INSTALLED.get(dataSource);
  if (subscriber === undefined) {
    subscriber = new ModelOperationsSubscriber();
    INSTALLED.set(dataSource, subscriber);
    dataSource.subscribers.push(subscriber);
  }
  return subscriber.addSink(counters);
}

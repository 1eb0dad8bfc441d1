import cluster, { type Worker } from 'node:cluster';
import { isMessage, METRICS_RESPONSE, type MetricsResponseMessage } from './cluster-messages.js';

/** What a pending collection wants to hear about. @internal */
export interface CollectionListener {
  onAnswer(worker: Worker, message: MetricsResponseMessage): void;
  onExit(worker: Worker): void;
}

const pending = new Map<number, CollectionListener>();

function onMessage(worker: Worker, message: unknown): void {
  if (!isMessage<MetricsResponseMessage>(message, METRICS_RESPONSE)) return;
  pending.get(message.id)?.onAnswer(worker, message);
}

function onExit(worker: Worker): void {
  for (const listener of [...pending.values()]) listener.onExit(worker);
}

/**
 * Routes workers' answers to the collection that asked, by request id, through one `message` and
 * one `exit` listener on `cluster` however many scrapes are in flight (a listener per scrape made
 * Node warn `MaxListenersExceededWarning` past ten concurrent scrapes). The listeners are removed
 * when no collection is pending.
 * @returns a function that unregisters `listener`
 * @internal
 */
export function routeClusterAnswers(id: number, listener: CollectionListener): () => void {
  if (pending.size === 0) {
    cluster.on('message', onMessage);
    cluster.on('exit', onExit);
  }
  pending.set(id, listener);
  return () => {
    if (!pending.delete(id) || pending.size > 0) return;
    cluster.off('message', onMessage);
    cluster.off('exit', onExit);
  };
}

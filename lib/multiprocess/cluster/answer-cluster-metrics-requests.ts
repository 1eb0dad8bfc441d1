import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import { snapshotRegistry } from '../snapshot-registry.js';
import { isMessage, METRICS_REQUEST, METRICS_RESPONSE, type MetricsRequestMessage, type MetricsResponseMessage } from './cluster-messages.js';

/**
 * In a `cluster` worker, answers the primary's requests for metrics with a snapshot of
 * `registry`. Outside a worker it does nothing. The module calls it for you at bootstrap; call it
 * yourself only in a worker that does not import `PrometheusModule`.
 * @returns a function that stops answering
 * @example const stop = answerClusterMetricsRequests(register);
 */
export function answerClusterMetricsRequests(registry: Registry): () => void {
  if (!cluster.isWorker || process.send === undefined) return () => {};
  const listener = (message: unknown): void => {
    if (!isMessage<MetricsRequestMessage>(message, METRICS_REQUEST)) return;
    snapshotRegistry(registry).then(
      (snapshot) => reply({ type: METRICS_RESPONSE, id: message.id, snapshot }),
      (error: Error) => reply({ type: METRICS_RESPONSE, id: message.id, error: error.message }),
    );
  };
  process.on('message', listener);
  return () => {
    process.off('message', listener);
  };
}

function reply(message: MetricsResponseMessage): void {
  if (process.connected) process.send?.(message);
}

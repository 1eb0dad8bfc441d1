import cluster from 'node:cluster';
import type { Registry } from 'prom-client';
import { snapshotRegistry } from '../snapshot-registry.js';
import { snapshotV2Records } from '../snapshot-v2.js';
import { isMessage, METRICS_REQUEST, METRICS_RESPONSE, PART_CHARS, type MetricsRequestMessage, type MetricsResponseMessage } from './cluster-messages.js';

/**
 * In a `cluster` worker, answers the primary's requests for metrics with a snapshot of
 * `registry` (taken and serialized in slices, sent in parts). Outside a worker it does nothing. The module calls it for you at bootstrap; call it
 * yourself only in a worker that does not import `PrometheusModule`.
 * @returns a function that stops answering
 * @example const stop = answerClusterMetricsRequests(register);
 */
export function answerClusterMetricsRequests(registry: Registry): () => void {
  if (!cluster.isWorker || process.send === undefined) return () => {};
  const listener = (message: unknown): void => {
    if (!isMessage<MetricsRequestMessage>(message, METRICS_REQUEST)) return;
    const id = message.id;
    snapshotRegistry(registry)
      .then((snapshot) => snapshotV2Records(snapshot))
      .then(
        (records) => {
          // Records joined into parts of about PART_CHARS, each a message of its own.
          let part = '';
          for (const record of records) {
            part += `${record}\n`;
            if (part.length >= PART_CHARS) {
              reply({ type: METRICS_RESPONSE, id, part, done: false });
              part = '';
            }
          }
          reply({ type: METRICS_RESPONSE, id, part, done: true });
        },
        (error: Error) => reply({ type: METRICS_RESPONSE, id, error: error.message }),
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

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
        (records) => sendParts(id, records),
        (error: Error) => reply({ type: METRICS_RESPONSE, id, error: error.message }),
      );
  };
  process.on('message', listener);
  return () => {
    process.off('message', listener);
  };
}

/**
 * Sends the records joined into parts of about PART_CHARS, each a message of its own, one at a
 * time: the next part is serialized once the previous one has been handed to the channel. Sent
 * all at once, the parts of every worker filled the primary's pipes, and the primary decoded and
 * parsed megabytes of messages in one turn of its event loop (the longest block of a cluster
 * scrape); paced, it takes about a part per worker per turn.
 */
async function sendParts(id: number, records: ReadonlyArray<string>): Promise<void> {
  let part = '';
  for (const record of records) {
    part += `${record}\n`;
    if (part.length >= PART_CHARS) {
      if (!(await reply({ type: METRICS_RESPONSE, id, part, done: false }))) return;
      part = '';
    }
  }
  await reply({ type: METRICS_RESPONSE, id, part, done: true });
}

/** Sends `message`; resolves once it is handed to the channel, with whether it was. */
function reply(message: MetricsResponseMessage): Promise<boolean> {
  return new Promise((resolve) => {
    if (!process.connected || process.send === undefined) return resolve(false);
    try {
      process.send(message, undefined, {}, (error: Error | null) => resolve(error === null || error === undefined));
    } catch {
      resolve(false);
    }
  });
}

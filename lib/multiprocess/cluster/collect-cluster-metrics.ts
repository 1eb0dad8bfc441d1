import cluster, { type Worker } from 'node:cluster';
import { Gauge, type Registry } from 'prom-client';
import { aggregateSnapshots, type AggregationInput } from '../aggregate-snapshots.js';
import { DEFAULT_READ_LIMITS } from '../multiprocess-directory.js';
import { checkSnapshotV2 } from '../snapshot-v2.js';
import { validateSnapshotSliced } from '../validate-snapshot.js';
import { routeClusterAnswers } from './cluster-answer-router.js';
import { METRICS_REQUEST } from './cluster-messages.js';
import type { ClusterMetrics, ClusterMetricsOptions } from './cluster-metrics.interface.js';

/** Metric the primary adds to the aggregate: workers that did not answer in time. */
export const MISSING_WORKERS_METRIC = 'nest_prometheus_cluster_workers_missing';
const DEFAULT_TIMEOUT_MS = 2000;
/** Largest answer kept, in characters: the size limit of a snapshot file. */
const MAX_ANSWER_CHARS = DEFAULT_READ_LIMITS.maxFileBytes;
let nextId = 0;

/** A worker's whole answer: format-2 text (this version), or a format-1 snapshot (earlier versions). */
type Answer = { readonly text: string; readonly snapshot?: undefined } | { readonly text?: undefined; readonly snapshot: unknown };

/**
 * In the `cluster` primary: asks every connected worker for its metrics and merges the answers
 * (counters and histograms summed, gauges per worker `pid`). A worker that does not answer within
 * `timeoutMs` is counted in `missing`; the result is then partial, never late.
 */
export async function collectClusterMetrics(options: ClusterMetricsOptions = {}): Promise<ClusterMetrics> {
  if (!cluster.isPrimary) throw new Error('nest-prometheus: collectClusterMetrics() runs in the cluster primary only');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new RangeError(`nest-prometheus: option \`timeoutMs\` is ${String(timeoutMs)}; expected a positive number of milliseconds`);
  }
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && w.isConnected());
  const id = nextId++;
  const raw = await new Promise<Answer[]>((resolve) => {
    const received = new Map<Worker, Answer>();
    const parts = new Map<Worker, { texts: string[]; chars: number }>();
    const pending = new Set(workers);
    const finish = (): void => {
      clearTimeout(timer);
      stop();
      resolve([...received.values()]);
    };
    const settle = (worker: Worker): void => {
      pending.delete(worker);
      if (pending.size === 0) finish();
    };
    const stop = routeClusterAnswers(id, {
      onAnswer: (worker, message) => {
        if (!pending.has(worker)) return;
        if (typeof message.part === 'string') {
          const list = parts.get(worker) ?? { texts: [], chars: 0 };
          list.texts.push(message.part);
          list.chars += message.part.length;
          parts.set(worker, list);
          // An answer larger than a snapshot file may be is dropped (its worker counted as missing).
          if (list.chars > MAX_ANSWER_CHARS) list.texts.length = 0;
          if (message.done !== true) return;
          if (list.chars <= MAX_ANSWER_CHARS) received.set(worker, { text: list.texts.join('') });
        } else if (message.snapshot !== undefined) {
          received.set(worker, { snapshot: message.snapshot });
        }
        parts.delete(worker);
        settle(worker);
      },
      onExit: (worker) => {
        if (pending.has(worker)) settle(worker);
      },
    });
    const timer = setTimeout(finish, timeoutMs);
    if (workers.length === 0) return finish();
    for (const worker of workers) {
      try {
        worker.send({ type: METRICS_REQUEST, id });
      } catch {
        settle(worker);
      }
    }
  });
  // A worker's answer is checked like a snapshot file (in slices, after the answers are in): a bad
  // one is left out, not merged, and its worker counted as missing. A format-2 answer keeps only
  // its text: the merge parses it again and folds each series as it comes (see checkSnapshotV2).
  const answers: AggregationInput[] = [];
  for (const answer of raw) {
    const checked = answer.text !== undefined ? await checkSnapshotV2(answer.text) : await validateSnapshotSliced(answer.snapshot);
    if (checked.ok) answers.push({ snapshot: checked.snapshot, gone: false });
  }
  const registry = await aggregateSnapshots(answers);
  const missing = workers.length - answers.length;
  addMissingGauge(registry, missing);
  return { registry, workers: workers.length, missing };
}

function addMissingGauge(registry: Registry, missing: number): void {
  registry.removeSingleMetric(MISSING_WORKERS_METRIC);
  const gauge = new Gauge({
    name: MISSING_WORKERS_METRIC,
    help: 'Cluster workers that did not answer the last metrics request in time (their metrics are missing from this scrape).',
    registers: [registry],
  });
  gauge.set(missing);
}

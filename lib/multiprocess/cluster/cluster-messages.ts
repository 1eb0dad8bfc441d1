import type { ProcessSnapshot } from '../process-snapshot.interface.js';

/** Message type a cluster primary sends to ask a worker for its metrics. @internal */
export const METRICS_REQUEST = 'nest-prometheus:metrics-request';
/** Message type of a worker's answer. @internal */
export const METRICS_RESPONSE = 'nest-prometheus:metrics-response';

/** @internal */
export interface MetricsRequestMessage {
  readonly type: typeof METRICS_REQUEST;
  readonly id: number;
}

/**
 * A worker's answer, or a part of it: the snapshot's format-2 text in `part`s of a bounded size, in
 * order, the last one with `done` (so that neither side serializes or parses the whole snapshot in
 * one piece); or `error`. `snapshot` is the format-1 answer of earlier versions, still understood.
 * @internal
 */
export interface MetricsResponseMessage {
  readonly type: typeof METRICS_RESPONSE;
  readonly id: number;
  readonly part?: string;
  readonly done?: boolean;
  readonly snapshot?: ProcessSnapshot;
  readonly error?: string;
}

/** Characters of format-2 text per answer message, about. @internal */
export const PART_CHARS = 64 * 1024;

/** @internal */
export function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

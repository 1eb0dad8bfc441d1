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

/** @internal */
export interface MetricsResponseMessage {
  readonly type: typeof METRICS_RESPONSE;
  readonly id: number;
  readonly snapshot?: ProcessSnapshot;
  readonly error?: string;
}

/** @internal */
export function isMessage<T extends { type: string }>(message: unknown, type: T['type']): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

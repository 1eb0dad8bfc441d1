import type { ViewLabelMode } from '../interfaces/prometheus-options.interface.js';

/** django-prometheus's latency buckets (seconds); prom-client appends `+Inf`. */
export const DEFAULT_LATENCY_BUCKETS: ReadonlyArray<number> = Object.freeze([
  0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 25, 50, 75,
]);

export const DEFAULT_CONTROLLER_PATH = 'metrics';
export const DEFAULT_VIEW_LABEL: ViewLabelMode = 'handler';
export const VIEW_LABEL_MODES: ReadonlyArray<ViewLabelMode> = ['handler', 'route'];

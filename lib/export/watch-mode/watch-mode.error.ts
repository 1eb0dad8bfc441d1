import type { WatchModeDetection } from './detect-watch-mode.js';

/** Thrown when a standalone metrics port would start in a process run by a restarting file watcher. */
export class WatchModeError extends Error {
  override readonly name = 'WatchModeError';

  constructor(readonly detection: WatchModeDetection) {
    super(
      `nest-prometheus: refusing to start the standalone metrics port: this process runs under \`${detection.watcher}\` ` +
        `(${detection.evidence}). A file watcher starts the new process while the old one may still hold the port, ` +
        'so the restarted app would fail or race it for the port. In watch mode use the /metrics controller ' +
        '(unset export.port / export.portRange and PROMETHEUS_METRICS_EXPORT_PORT / PROMETHEUS_METRICS_EXPORT_PORT_RANGE), ' +
        'or run without the watcher.',
    );
  }
}

/** Thrown when the standalone metrics port is already taken. */
export class MetricsPortInUseError extends Error {
  override readonly name = 'MetricsPortInUseError';

  constructor(
    readonly port: number,
    readonly address: string | undefined,
  ) {
    super(
      `nest-prometheus: the metrics port ${port}${address === undefined ? '' : ` on ${address}`} is already in use; ` +
        'set export.port (PROMETHEUS_METRICS_EXPORT_PORT) to a free port, or export.portRange ' +
        '(PROMETHEUS_METRICS_EXPORT_PORT_RANGE, e.g. "8001-8010") to take the first free port of a range',
    );
  }
}

import { MetricsPortInUseError } from './metrics-port-in-use.error.js';

const REASONS: Readonly<Record<string, string>> = {
  EADDRNOTAVAIL: 'the address is not one of this host’s interfaces',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS unavailable)',
  EAI_FAIL: 'the host name could not be resolved',
  EAFNOSUPPORT: 'this host does not support that address family',
  EACCES: 'binding this port needs privileges this process does not have',
  EPERM: 'binding this port is not permitted',
};

/**
 * Thrown when the standalone metrics port cannot listen for another reason than a taken port: an
 * address that is not on this host or does not resolve, a privileged port. Names the exporter and
 * the settings to change; the system error is its `cause`.
 */
export class MetricsListenError extends Error {
  override readonly name = 'MetricsListenError';

  constructor(
    readonly port: number,
    readonly address: string | undefined,
    readonly code: string,
    cause: Error,
  ) {
    const where = `${address === undefined ? 'all interfaces' : address}, port ${port}`;
    const fix =
      code === 'EACCES' || code === 'EPERM'
        ? 'set export.port (PROMETHEUS_METRICS_EXPORT_PORT) to a port above 1023, or grant the process the right to bind it'
        : 'set export.address (PROMETHEUS_METRICS_EXPORT_ADDRESS) to an address of this host, e.g. "127.0.0.1", "::" or "0.0.0.0", or unset it to listen on all interfaces';
    super(`nest-prometheus: the standalone metrics exporter cannot listen on ${where}: ${code} (${REASONS[code] ?? cause.message}); ${fix}`, { cause });
  }
}

/** The error to report for a failed `listen`: a clear one for the causes a user can fix. @internal */
export function listenError(error: NodeJS.ErrnoException, port: number, address: string | undefined): Error {
  if (error.code === 'EADDRINUSE') return new MetricsPortInUseError(port, address);
  if (error.code !== undefined && error.code in REASONS) return new MetricsListenError(port, address, error.code, error);
  return error;
}

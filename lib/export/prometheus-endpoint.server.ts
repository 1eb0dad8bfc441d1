import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { register as globalRegistry } from 'prom-client';
import { checkEndpointToken } from './check-endpoint-token.js';
import type { EndpointLogger } from './endpoint-logger.interface.js';
import { createMetricsRequestHandler, METRICS_PATH } from './metrics-request-handler.js';
import { registrySource } from './metrics-source.js';
import { listenError } from './metrics-listen.error.js';
import type { PrometheusEndpointServerOptions } from './prometheus-endpoint-options.interface.js';
import { detectWatchMode } from './watch-mode/detect-watch-mode.js';
import { WatchModeError } from './watch-mode/watch-mode.error.js';

/**
 * The standalone metrics port: a plain `node:http` server, outside Nest's HTTP stack (no guards,
 * middleware, interceptors or adapter), serving `GET /metrics` (and `HEAD`). Other paths → 404,
 * other methods → 405, missing or wrong bearer token (when one is set) → 401.
 *
 * The port is bound exclusively: in a `cluster` worker it is this worker's own port, not one
 * shared through the primary.
 * @example
 * const server = new PrometheusEndpointServer({ port: 9100, address: '127.0.0.1' });
 * await server.start();
 * // …
 * await server.close();
 */
export class PrometheusEndpointServer {
  private readonly server: Server;
  private readonly logger: EndpointLogger;
  private listening = false;
  private closing?: Promise<void>;

  constructor(private readonly options: PrometheusEndpointServerOptions) {
    checkEndpointToken(options.token);
    this.logger = options.logger ?? new Logger('PrometheusExporter');
    const handle = createMetricsRequestHandler({
      source: options.source ?? registrySource(options.registry ?? globalRegistry),
      token: options.token,
      onError: (message) => this.logger.warn(message),
    });
    this.server = createServer((req, res) => void handle(req, res));
  }

  /** The bound port (the requested one until `start()` resolves). */
  get port(): number {
    const address = this.server.address();
    return address !== null && typeof address === 'object' ? address.port : this.options.port;
  }

  /** `http://host:port/metrics` of the bound address. */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    const host = address?.address ?? this.options.address ?? 'localhost';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}${METRICS_PATH}`;
  }

  /**
   * Listens. Rejects with `WatchModeError` under a restarting file watcher, with
   * `MetricsPortInUseError` when the port is taken, and with `MetricsListenError` when the address
   * is not on this host or does not resolve, or the port needs privileges.
   */
  async start(): Promise<void> {
    const watch = detectWatchMode();
    if (watch !== undefined) throw new WatchModeError(watch);
    await this.listen();
    this.logger.log(`metrics exporter listening on ${this.url}`);
  }

  /** Stops listening and ends open connections. Safe to call twice or before `start()`. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    if (!this.listening) return Promise.resolve();
    this.listening = false;
    this.closing = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  /** Binds without the watch-mode check or log line. @internal */
  listen(): Promise<void> {
    const { port, address, signal } = this.options;
    return new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        this.server.off('listening', onListening);
        reject(listenError(error, port, address));
      };
      const onListening = (): void => {
        this.server.off('error', onError);
        this.listening = true;
        if (signal !== undefined) {
          if (signal.aborted) void this.close();
          else signal.addEventListener('abort', () => void this.close(), { once: true });
        }
        resolve();
      };
      this.server.once('error', onError);
      this.server.once('listening', onListening);
      this.server.listen({ port, host: address, exclusive: true });
    });
  }
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { register as globalRegistry } from 'prom-client';
import { bearerTokenCheck } from './bearer-token-check.js';
import type { EndpointLogger } from './endpoint-logger.interface.js';
import { registrySource, type MetricsSource } from './metrics-source.js';
import { MetricsPortInUseError } from './metrics-port-in-use.error.js';
import type { PrometheusEndpointServerOptions } from './prometheus-endpoint-options.interface.js';
import { detectWatchMode } from './watch-mode/detect-watch-mode.js';
import { WatchModeError } from './watch-mode/watch-mode.error.js';

/** Path the standalone exporter serves. */
export const METRICS_PATH = '/metrics';

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
  private readonly source: MetricsSource;
  private readonly authorized?: (header: string | undefined) => boolean;
  private readonly logger: EndpointLogger;
  private listening = false;
  private closing?: Promise<void>;

  constructor(private readonly options: PrometheusEndpointServerOptions) {
    this.source = options.source ?? registrySource(options.registry ?? globalRegistry);
    if (options.token !== undefined) this.authorized = bearerTokenCheck(options.token);
    this.logger = options.logger ?? new Logger('PrometheusExporter');
    this.server = createServer((req, res) => void this.handle(req, res));
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
   * Listens. Rejects with `WatchModeError` under a restarting file watcher, and with
   * `MetricsPortInUseError` when the port is taken.
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
        reject(error.code === 'EADDRINUSE' ? new MetricsPortInUseError(port, address) : error);
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (this.authorized !== undefined && !this.authorized(req.headers.authorization)) {
        return send(res, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
      }
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path !== METRICS_PATH) return send(res, 404, 'Not Found\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      const { contentType, body } = await this.source();
      res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.warn(`metrics collection failed: ${(error as Error).message}`);
      if (!res.headersSent) send(res, 500, 'metrics collection failed\n');
      else res.destroy();
    }
  }
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

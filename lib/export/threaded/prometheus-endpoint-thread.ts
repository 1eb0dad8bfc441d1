import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { register as globalRegistry } from 'prom-client';
import { checkEndpointToken } from '../check-endpoint-token.js';
import type { EndpointLogger } from '../endpoint-logger.interface.js';
import { METRICS_PATH } from '../metrics-request-handler.js';
import { registrySource, type MetricsSource } from '../metrics-source.js';
import { listenError } from '../metrics-listen.error.js';
import type { PrometheusEndpointServerOptions } from '../prometheus-endpoint-options.interface.js';
import { detectWatchMode } from '../watch-mode/detect-watch-mode.js';
import { WatchModeError } from '../watch-mode/watch-mode.error.js';
import { thisDirectory } from '../../shared/this-directory.js';
import type { EndpointThreadData, FromEndpointThread, ToEndpointThread } from './endpoint-thread-messages.js';

/** Options of {@link PrometheusEndpointThread}. */
export interface PrometheusEndpointThreadOptions extends PrometheusEndpointServerOptions {
  /**
   * How long a scrape waits for the main thread to render fresh metrics before the last
   * exposition is served instead (with an `X-Metrics-Stale-Seconds` header), in milliseconds.
   * @default 1000
   */
  readonly freshTimeoutMs?: number;
}

/**
 * The standalone metrics port served from a worker thread, so it keeps answering while the main
 * event loop is blocked. Each scrape asks the main thread for a fresh exposition; when none comes
 * within `freshTimeoutMs` it serves the last one it received, marked with
 * `X-Metrics-Stale-Seconds` (503 if there is none yet). Same routes, token and exclusive binding as
 * `PrometheusEndpointServer`; costs one thread (about 20 MB RSS) and a copy of the exposition per scrape.
 * @example const server = new PrometheusEndpointThread({ port: 9100 }); await server.start();
 */
export class PrometheusEndpointThread {
  private worker?: Worker;
  private bound?: { port: number; address: string };
  private closing?: Promise<void>;
  private readonly source: MetricsSource;
  private readonly logger: EndpointLogger;
  /** Request ids waiting for the rendering under way, if one is. */
  private waiting?: number[];

  constructor(private readonly options: PrometheusEndpointThreadOptions) {
    checkEndpointToken(options.token);
    this.source = options.source ?? registrySource(options.registry ?? globalRegistry);
    this.logger = options.logger ?? new Logger('PrometheusExporter');
    const timeout = options.freshTimeoutMs;
    if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
      throw new RangeError(`nest-prometheus: option \`freshTimeoutMs\` is ${String(timeout)}; expected a positive number of milliseconds`);
    }
  }

  /** The bound port (the requested one until `start()` resolves). */
  get port(): number {
    return this.bound?.port ?? this.options.port;
  }

  /** `http://host:port/metrics` of the bound address. */
  get url(): string {
    const host = this.bound?.address ?? this.options.address ?? 'localhost';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.port}${METRICS_PATH}`;
  }

  /** Starts the thread and listens; rejects like `PrometheusEndpointServer.start()`. */
  async start(): Promise<void> {
    const watch = detectWatchMode();
    if (watch !== undefined) throw new WatchModeError(watch);
    await this.spawn([this.options.port], false);
  }

  /**
   * Starts the thread on the first free port of `ports` (taken or privileged ports are skipped);
   * `false` when none is free. No watch-mode check: the caller made it.
   * @internal
   */
  async startOnFirstFree(ports: ReadonlyArray<number>): Promise<boolean> {
    if (ports.length === 0) return false;
    return this.spawn(ports, true);
  }

  private async spawn(ports: ReadonlyArray<number>, range: boolean): Promise<boolean> {
    const data: EndpointThreadData = {
      ports,
      range,
      address: this.options.address,
      token: this.options.token,
      freshTimeoutMs: this.options.freshTimeoutMs ?? 1000,
    };
    const worker = new Worker(join(thisDirectory(), '..', 'export', 'threaded', 'endpoint-thread.worker.js'), { workerData: data });
    this.worker = worker;
    const listening = await new Promise<boolean>((resolve, reject) => {
      worker.on('message', (message: FromEndpointThread) => {
        if (message.type === 'listening') {
          this.bound = { port: message.port, address: message.address };
          resolve(true);
        } else if (message.type === 'no-free-port') {
          resolve(false);
        } else if (message.type === 'listen-error') {
          const cause = Object.assign(new Error(message.message), { code: message.code });
          reject(listenError(cause, message.port, this.options.address));
        } else if (message.type === 'render') {
          this.render(message.id);
        } else {
          this.logger.warn(message.message);
        }
      });
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('nest-prometheus: the exporter thread exited before listening')));
    });
    if (!listening) {
      this.worker = undefined;
      return false;
    }
    const { signal } = this.options;
    if (signal !== undefined) {
      if (signal.aborted) void this.close();
      else signal.addEventListener('abort', () => void this.close(), { once: true });
    }
    this.logger.log(`metrics exporter listening on ${this.url} (worker thread)`);
    return true;
  }

  /** Closes the server and ends the thread. Safe to call twice or before `start()`. */
  close(): Promise<void> {
    const worker = this.worker;
    if (this.closing !== undefined) return this.closing;
    if (worker === undefined) return Promise.resolve();
    this.closing = new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      this.send({ type: 'close' });
    });
    return this.closing;
  }

  /**
   * Renders for the thread's request `id`. Requests that arrive while a rendering is under way
   * share it: after the event loop was blocked, the requests queued meanwhile cost one rendering,
   * not one each.
   */
  private render(id: number): void {
    if (this.waiting !== undefined) {
      this.waiting.push(id);
      return;
    }
    const ids = [id];
    this.waiting = ids;
    void this.renderFor(ids).then(
      () => {
        if (this.waiting === ids) this.waiting = undefined;
      },
      (error: Error) => {
        if (this.waiting === ids) this.waiting = undefined;
        for (const each of ids) this.send({ type: 'render-failed', id: each, message: error.message });
      },
    );
  }

  /**
   * Renders once and sends it to every request of `ids`. A streamed exposition goes chunk by chunk
   * (the main thread never holds it as one string, nor copies it into one message; the thread
   * joins the parts). Requests that arrive once its first chunk is sent start a rendering of
   * their own: the parts already sent are not replayed.
   */
  private async renderFor(ids: number[]): Promise<void> {
    const exposition = await this.source();
    if (!('chunks' in exposition)) {
      for (const each of ids) this.send({ type: 'rendered', id: each, contentType: exposition.contentType, body: exposition.body });
      return;
    }
    let previous: string | undefined;
    try {
      for await (const chunk of exposition.chunks) {
        if (previous !== undefined) {
          if (this.waiting === ids) this.waiting = undefined;
          for (const each of ids) this.send({ type: 'rendered-part', id: each, part: previous });
        }
        previous = chunk;
      }
    } finally {
      if (this.waiting === ids) this.waiting = undefined;
    }
    for (const each of ids) this.send({ type: 'rendered', id: each, contentType: exposition.contentType, body: previous ?? '' });
  }

  private send(message: ToEndpointThread): void {
    this.worker?.postMessage(message);
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerTokenCheck } from './bearer-token-check.js';
import type { MetricsExposition, StreamedMetricsExposition } from './metrics-exposition.service.js';
import { prepareBody, sendBody } from './send-exposition.js';

/** Path the standalone exporter serves. */
export const METRICS_PATH = '/metrics';

/** An exposition (whole or in chunks) plus headers to send with it. @internal */
export type ServedExposition = (MetricsExposition | StreamedMetricsExposition) & {
  readonly headers?: Readonly<Record<string, string>>;
};

/** An error a source throws to answer with another status than 500. @internal */
export class ExpositionUnavailableError extends Error {
  readonly status = 503;
}

/** What the request handler needs. @internal */
export interface MetricsRequestHandlerOptions {
  readonly source: () => Promise<ServedExposition>;
  readonly token?: string;
  readonly onError: (message: string) => void;
}

/**
 * The standalone exporter's request handling, shared by the in-thread server and the worker-thread
 * server: token (401), path (404), method (405), then the exposition (500/503 when it fails).
 * A body longer than one chunk is written chunk by chunk as it is rendered (`sendBody`).
 * @internal
 */
export function createMetricsRequestHandler(options: MetricsRequestHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const authorized = options.token === undefined ? undefined : bearerTokenCheck(options.token);
  return async (req, res) => {
    try {
      if (authorized !== undefined && !authorized(req.headers.authorization)) {
        return send(res, 401, 'Unauthorized\n', { 'WWW-Authenticate': 'Bearer realm="metrics"' });
      }
      const path = (req.url ?? '/').split('?', 1)[0];
      if (path !== METRICS_PATH) return send(res, 404, 'Not Found\n');
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
      const exposition = await options.source();
      const body = await prepareBody(exposition);
      // Past this point the status is sent: a rendering that fails midway cuts the body short.
      const failed = await sendBody(res, body, exposition.contentType, exposition.headers ?? {}, req.method === 'HEAD');
      if (failed !== undefined) options.onError(`metrics collection failed while sending: ${failed.message}`);
    } catch (error) {
      const status = error instanceof ExpositionUnavailableError ? error.status : 500;
      options.onError(`metrics collection failed: ${(error as Error).message}`);
      if (res.headersSent) res.destroy();
      else send(res, status, `metrics collection failed: ${status === 503 ? (error as Error).message : 'see the application log'}\n`);
    }
  };
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

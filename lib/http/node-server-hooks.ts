import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HTTP_REQUEST_STATE } from './http.constants.js';
import type { HttpRecorder } from './http-recorder.js';
import type { HttpRequestState } from './http-request-state.js';

type ExpressRequest = IncomingMessage & { protocol?: string; route?: { path?: unknown }; [HTTP_REQUEST_STATE]?: HttpRequestState };

function onClose(this: ServerResponse): void {
  const req = this.req as ExpressRequest;
  const state = req[HTTP_REQUEST_STATE];
  if (state === undefined) return;
  const https = req.protocol !== undefined ? req.protocol === 'https' : (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  state.recorder.end(state, {
    method: req.method,
    https,
    requestedWith: req.headers['x-requested-with'],
    requestContentLength: req.headers['content-length'],
    request: req,
    finished: this.writableFinished,
    statusCode: this.statusCode,
    responseContentLength: this.getHeader('content-length'),
    responseContentType: this.getHeader('content-type'),
  });
}

/** The route template Express matched, e.g. `/api/v1/items/:id`. @internal */
export function expressRouteTemplate(request: object): string | undefined {
  const path = (request as ExpressRequest).route?.path;
  return typeof path === 'string' ? path : undefined;
}

/**
 * Measures every request of a Node HTTP server from the moment the server emits it (before
 * Express or any middleware sees it) until the response closes. Used for Express, whose own
 * middleware stack is already built when lifecycle hooks run. Returns the uninstaller.
 * `transport` follows Express's `req.protocol`, which honours the `trust proxy` setting.
 * @internal
 */
export function installNodeServerHooks(server: Server, recorder: HttpRecorder): () => void {
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    recorder.start(req, req.url);
    if ((req as ExpressRequest)[HTTP_REQUEST_STATE] !== undefined) res.on('close', onClose);
  };
  server.prependListener('request', onRequest);
  return () => {
    server.removeListener('request', onRequest);
  };
}

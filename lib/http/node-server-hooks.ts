import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { RequestEnd, type HttpRecorder } from './http-recorder.js';
import { requestStateOf } from './request-states.js';

type ExpressRequest = IncomingMessage & { protocol?: string; route?: { path?: unknown } };

/** Filled and read synchronously on every request end: one object for the process, none per request. */
const scratch = new RequestEnd();

function onClose(this: ServerResponse): void {
  const req = this.req as ExpressRequest;
  const state = requestStateOf(req);
  if (state === undefined) return;
  try {
    state.recorder.end(state, fillRequestEnd(scratch, req, this));
  } catch (error) {
    state.recorder.reportFailure(error);
  } finally {
    scratch.clear();
  }
}

function fillRequestEnd(e: RequestEnd, req: ExpressRequest, res: ServerResponse): RequestEnd {
  e.method = req.method;
  e.https = isHttps(req);
  e.requestedWith = req.headers['x-requested-with'];
  e.requestContentLength = req.headers['content-length'];
  e.request = req;
  e.finished = res.writableFinished;
  e.statusCode = res.statusCode;
  e.responseContentLength = res.getHeader('content-length');
  e.responseContentType = res.getHeader('content-type');
  return e;
}

function isTls(req: IncomingMessage): boolean {
  return (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
}

/**
 * TLS, or `X-Forwarded-Proto: https` from a proxy Express trusts. Express's `req.protocol` getter
 * (which applies `trust proxy`) is only asked when the header is there: without it the answer is
 * the socket's, and the getter is the priciest read of the request end.
 */
function isHttps(req: ExpressRequest): boolean {
  if (req.headers['x-forwarded-proto'] === undefined || req.protocol === undefined) return isTls(req);
  return req.protocol === 'https';
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
    try {
      if (recorder.start(req, req.url)) res.on('close', onClose);
    } catch (error) {
      recorder.reportFailure(error);
    }
  };
  server.prependListener('request', onRequest);
  return () => {
    server.removeListener('request', onRequest);
  };
}

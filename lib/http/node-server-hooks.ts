import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { RequestEnd, type HttpRecorder } from './http-recorder.js';
import type { HttpRequestState } from './http-request-state.js';
import { charsetOf, contentLengthOf, isAjax, responseBytesOf } from './response-headers.js';

type ExpressRequest = IncomingMessage & { protocol?: string; route?: { path?: unknown } };

/** Filled and read synchronously on every request end: one object for the process, none per request. */
const scratch = new RequestEnd();

/**
 * Reads what the request end needs from `req` while the server emits it. Express 5 then swaps the
 * prototypes of `req` and `res` for every request, and every later property read of either misses
 * V8's inline caches (seen with `node --log-ic`: one miss per read per request; about 1.5k
 * instructions each, counted with `npm run bench -- --instructions`). Read here, the same values cost
 * a few loads.
 */
function readRequest(state: HttpRequestState, req: IncomingMessage): void {
  const headers = req.headers;
  state.method = req.method;
  state.tls = (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  state.forwardedProto = headers['x-forwarded-proto'] !== undefined;
  state.ajax = isAjax(headers['x-requested-with']);
  state.requestBytes = contentLengthOf(headers['content-length']);
}

function end(req: ExpressRequest, res: ServerResponse, state: HttpRequestState): void {
  const e = scratch;
  try {
    e.method = state.method;
    e.https = isHttps(req, state);
    e.ajax = state.ajax;
    e.requestBytes = state.requestBytes;
    e.finished = res.writableFinished;
    e.statusCode = res.statusCode;
    e.responseBytes = responseBytesOf(res.getHeader('content-length'));
    e.charset = charsetOf(res.getHeader('content-type'));
    state.recorder.end(state, e, req);
  } catch (error) {
    state.recorder.reportFailure(error);
  }
}

/**
 * TLS, or `X-Forwarded-Proto: https` from a proxy Express trusts. Express's `req.protocol` getter
 * (which applies `trust proxy`) is only asked when the header is there: without it the answer is
 * the socket's, and the getter is the priciest read of the request end.
 */
function isHttps(req: ExpressRequest, state: HttpRequestState): boolean {
  if (!state.forwardedProto) return state.tls;
  const protocol = req.protocol;
  return protocol === undefined ? state.tls : protocol === 'https';
}

/** The route template Express matched, e.g. `/api/v1/items/:id`. @internal */
export function expressRouteTemplate(request: object): string | undefined {
  const path = (request as ExpressRequest).route?.path;
  return typeof path === 'string' ? path : undefined;
}

/** Ends `state` when `req`'s connection closes before `res` has; nothing is left on the socket after `res` closes. */
function endOnConnectionClose(req: ExpressRequest, res: ServerResponse, state: HttpRequestState): void {
  const socket = req.socket;
  const onClose = (): void => end(req, res, state);
  socket.once('close', onClose);
  res.once('close', () => socket.removeListener('close', onClose));
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
      const state = recorder.start(req, req.url);
      if (state === undefined) return;
      readRequest(state, req);
      // A listener per request holding the state: looking it up from `res` at the end would be
      // two more reads of an object Express has reshaped (`res.req`, then the state on it).
      res.on('close', () => end(req, res, state));
      // An answer that waits behind an earlier one on its connection (HTTP/1.1 pipelining) has no
      // socket yet, and closes with nothing if the connection goes first: the socket's close ends it.
      if (res.socket === null) endOnConnectionClose(req, res, state);
    } catch (error) {
      recorder.reportFailure(error);
    }
  };
  server.prependListener('request', onRequest);
  return () => {
    server.removeListener('request', onRequest);
  };
}

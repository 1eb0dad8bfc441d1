import { OutgoingMessage, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RequestEnd, type HttpRecorder } from './http-recorder.js';
import type { HttpRequestState } from './http-request-state.js';
import { charsetOf, contentLengthOf, isAjax, responseBytesOf } from './response-headers.js';

type ExpressRequest = IncomingMessage & { protocol?: string; route?: { path?: unknown } };

/** Filled and read synchronously on every request end: one object for the process, none per request. */
const scratch = new RequestEnd();

/**
 * Reads what the request end needs from `req` while the server emits it. Express 5 then swaps the
 * prototypes of `req` and `res` for every request, which gives each a hidden class of its own, and
 * a later read of either by a property name nothing else read since misses V8's inline caches
 * (seen with `node --log-ic`: one miss per name per request; about 3k instructions each, attributed
 * with `npm run bench -- --instructions`). Read here, the same values cost a few loads.
 */
function readRequest(state: HttpRequestState, req: IncomingMessage): void {
  const headers = req.headers;
  state.method = req.method;
  state.tls = (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
  state.forwardedProto = headers['x-forwarded-proto'] !== undefined;
  state.ajax = isAjax(headers['x-requested-with']);
  state.requestBytes = contentLengthOf(headers['content-length']);
}

// Node's own accessors of its HTTP/1 responses, called on `res` directly (see `end`).
const nodeGetHeader = OutgoingMessage.prototype.getHeader;
const nodeWritableFinished = Object.getOwnPropertyDescriptor(OutgoingMessage.prototype, 'writableFinished')?.get;

/** A Node response as the end hook reads it: `_header` is the header block Node wrote, once it did. */
type NodeResponse = ServerResponse & { readonly _header?: unknown };

/**
 * The status code of a header block Node wrote (`HTTP/1.1 200 OK\r\n…`: Node checks that the code
 * has three digits), or −1 when `head` is not one. @internal
 */
export function statusOfHead(head: string): number {
  if (head.charCodeAt(8) !== 32 || head.charCodeAt(12) !== 32 || !head.startsWith('HTTP/')) return -1;
  const a = head.charCodeAt(9) - 48;
  const b = head.charCodeAt(10) - 48;
  const c = head.charCodeAt(11) - 48;
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1;
  return a * 100 + b * 10 + c;
}

/**
 * Ends `state` when `res` (or, for `closed`, its connection) closed. Express's swap of prototypes
 * gives `res` a new hidden class for every request, and each property name read here that nothing
 * read since the last change of that class misses V8's caches (`node --log-ic`; about 3k
 * instructions each, counted). Node's own end of a response reads `_header`, its header block
 * (a hit): the status comes from that block, which is also what the client received, and the
 * rest through Node's own `writableFinished` getter and `getHeader`, called on `res` directly
 * (looking either up by name on `res` was the miss). A response without such a block (Node's
 * HTTP/2 compatibility API, or headers never sent) is read through its public API.
 * @param closed the connection closed while `res` waited for its turn: nothing of it was sent
 */
function end(req: ExpressRequest, res: NodeResponse, state: HttpRequestState, closed = false): void {
  const e = scratch;
  try {
    e.method = state.method;
    e.https = isHttps(req, state);
    e.ajax = state.ajax;
    e.requestBytes = state.requestBytes;
    const head = closed ? undefined : res._header;
    const status = typeof head === 'string' ? statusOfHead(head) : -1;
    const own = status >= 0 && nodeWritableFinished !== undefined;
    e.finished = !closed && (own ? nodeWritableFinished.call(res) === true : res.writableFinished);
    if (e.finished) {
      e.statusCode = own ? status : res.statusCode;
      e.responseBytes = responseBytesOf(own ? nodeGetHeader.call(res, 'content-length') : res.getHeader('content-length'));
      e.charset = charsetOf(own ? nodeGetHeader.call(res, 'content-type') : res.getHeader('content-type'));
    } else {
      e.statusCode = 0;
      e.responseBytes = -1;
      e.charset = undefined;
    }
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
  const onClose = (): void => end(req, res, state, true);
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

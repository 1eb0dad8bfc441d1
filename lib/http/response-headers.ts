/** Bytes announced by a Content-Length header value; 0 when absent or invalid. @internal */
export function contentLengthOf(header: unknown): number {
  if (typeof header === 'number') return header >= 0 ? header : 0;
  if (typeof header !== 'string') return 0;
  // The usual value, up to 15 digits, is read digit by digit: `Number()` of a string goes through
  // the runtime's general conversion (about 50 instructions per response, counted). Anything else
  // (spaces, a sign, an exponent, more digits) takes `Number()`, so the result never differs.
  const length = header.length;
  if (length > 0 && length <= 15) {
    let n = 0;
    for (let i = 0; i < length; i++) {
      const digit = header.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return numberOf(header);
      n = n * 10 + digit;
    }
    return n;
  }
  return numberOf(header);
}

/** Whether an `X-Requested-With` request header marks an AJAX request (django's `is_ajax()`). @internal */
export function isAjax(requestedWith: unknown): boolean {
  return requestedWith === 'XMLHttpRequest';
}

/** The bytes a response's Content-Length header announces (0 when invalid); −1 without the header (a streamed body). @internal */
export function responseBytesOf(header: unknown): number {
  return header === undefined ? -1 : contentLengthOf(header);
}

function numberOf(header: string): number {
  const n = Number(header);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

/** Content-Type value → charset, `''` for none. */
const charsets = new Map<string, string>();
const MAX_CACHED = 256;
/** The last header value seen and its charset: an app's responses mostly repeat one Content-Type. */
let lastContentType = '';
let lastCharset = '';

/** The charset a Content-Type header value declares, lower-cased, or `undefined`. Cached per header value. @internal */
export function charsetOf(contentType: unknown): string | undefined {
  if (typeof contentType !== 'string') return undefined;
  let charset: string | undefined;
  if (contentType === lastContentType) {
    charset = lastCharset;
  } else {
    charset = charsets.get(contentType);
    if (charset === undefined) {
      charset = parseCharset(contentType) ?? '';
      if (charsets.size < MAX_CACHED) charsets.set(contentType, charset);
    }
    lastContentType = contentType;
    lastCharset = charset;
  }
  return charset === '' ? undefined : charset;
}

function parseCharset(contentType: string): string | undefined {
  const at = contentType.toLowerCase().indexOf('charset=');
  if (at === -1) return undefined;
  let end = contentType.indexOf(';', at);
  if (end === -1) end = contentType.length;
  const value = contentType.slice(at + 8, end).trim().replace(/^"|"$/g, '').toLowerCase();
  return value === '' ? undefined : value;
}

/** Whether a response to `method` with `status` carries no body by definition (HEAD, 1xx, 204, 304). @internal */
export function hasNoBody(method: string | undefined, status: number): boolean {
  return method === 'HEAD' || status < 200 || status === 204 || status === 304;
}

import { fail, ok, type ParseResult } from './parse-result.js';

/** Visible ASCII without space: what one `Authorization: Bearer <token>` credential can carry. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

export const TOKEN_ACCEPTED =
  'a non-empty string of visible ASCII characters without spaces (what an `Authorization: Bearer <token>` header can carry), ' +
  'e.g. the output of `openssl rand -hex 32`';

/**
 * Parses the bearer token of the standalone port. Spaces, control characters and non-ASCII
 * characters are rejected: no client could send them in an `Authorization` header, so such a
 * token would lock every scraper out (or, worse, be mangled into something else).
 * @internal
 */
export function parseToken(value: unknown): ParseResult<string> {
  if (typeof value === 'string' && HEADER_SAFE.test(value)) return ok(value);
  return fail(TOKEN_ACCEPTED);
}

import { isIP } from 'node:net';
import { fail, ok, type ParseResult } from './parse-result.js';

const ACCEPTED = 'an IPv4 or IPv6 address or a host name (e.g. "127.0.0.1", "::", "localhost")';
const HOST_NAME = /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/** Parses a bind address. @internal */
export function parseAddress(value: unknown): ParseResult<string> {
  if (typeof value === 'string' && (isIP(value) !== 0 || HOST_NAME.test(value))) return ok(value);
  return fail(ACCEPTED);
}

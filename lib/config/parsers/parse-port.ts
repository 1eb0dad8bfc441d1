import { fail, ok, type ParseResult } from './parse-result.js';

export const PORT_ACCEPTED = 'an integer port from 1 to 65535';

/** Parses a TCP port given as a number or a decimal string. @internal */
export function parsePort(value: unknown): ParseResult<number> {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) return ok(port);
  return fail(PORT_ACCEPTED);
}

import { fail, ok, type ParseResult } from './parse-result.js';

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const ACCEPTED = 'true or false (also 1/0, yes/no, on/off)';

/** Parses a boolean option or environment value, case-insensitively. @internal */
export function parseBoolean(value: unknown): ParseResult<boolean> {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (TRUE.has(text)) return ok(true);
    if (FALSE.has(text)) return ok(false);
  }
  return fail(ACCEPTED);
}

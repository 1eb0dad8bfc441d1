import { fail, ok, type ParseResult } from './parse-result.js';

/** Parses a non-empty string, e.g. a token or a directory. @internal */
export function parseNonEmptyString(value: unknown): ParseResult<string> {
  if (typeof value === 'string' && value.trim() !== '') return ok(value);
  return fail('a non-empty string');
}

import { fail, ok, type ParseResult } from './parse-result.js';

const ACCEPTED = 'empty or a metric-name prefix matching [a-zA-Z_][a-zA-Z0-9_]* (e.g. "shop")';

/** Parses the metric namespace; a trailing underscore is dropped (`shop_` → `shop`). @internal */
export function parseNamespace(value: unknown): ParseResult<string> {
  if (typeof value !== 'string') return fail(ACCEPTED);
  const namespace = value.replace(/_$/, '');
  if (namespace === '' || /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(namespace)) return ok(namespace);
  return fail(ACCEPTED);
}

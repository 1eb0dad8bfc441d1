import { parseToken } from '../config/parsers/parse-token.js';
import { PrometheusConfigError } from '../config/prometheus-config.error.js';
import { describeProblem } from '../config/setting-source.js';

/**
 * Refuses, at construction, a `token` given straight to an endpoint server that no `Authorization`
 * header could carry (empty, spaces, non-ASCII), the same rule the module's options follow.
 * `undefined` means no token.
 * @internal
 */
export function checkEndpointToken(token: unknown): void {
  if (token === undefined) return;
  const parsed = parseToken(token);
  if (!parsed.ok) throw new PrometheusConfigError([describeProblem({ name: 'option `token`', value: token }, parsed.accepted)]);
}

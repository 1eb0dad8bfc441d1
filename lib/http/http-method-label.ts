import { INVALID_METHOD } from './http.constants.js';

const STANDARD_METHODS: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    GET: 'GET', HEAD: 'HEAD', POST: 'POST', PUT: 'PUT', DELETE: 'DELETE',
    TRACE: 'TRACE', OPTIONS: 'OPTIONS', CONNECT: 'CONNECT', PATCH: 'PATCH',
  }),
);

/**
 * The `method` label of a request: one of the nine standard methods, else `<invalid method>`, so
 * that a client cannot grow the series count by inventing methods.
 * @internal
 */
export function httpMethodLabel(method: string | undefined): string {
  return (method !== undefined && STANDARD_METHODS[method]) || INVALID_METHOD;
}

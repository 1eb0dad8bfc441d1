import { INVALID_METHOD } from './http.constants.js';

/**
 * The `method` label of a request: one of the nine standard methods, else `<invalid method>`, so
 * that a client cannot grow the series count by inventing methods. A `switch` over string
 * literals, not a lookup table: Node's parser hands out the same interned strings, so each case is
 * a pointer comparison, where a keyed load by a varying name missed its inline cache.
 * @internal
 */
export function httpMethodLabel(method: string | undefined): string {
  switch (method) {
    case 'GET':
      return 'GET';
    case 'POST':
      return 'POST';
    case 'PUT':
      return 'PUT';
    case 'DELETE':
      return 'DELETE';
    case 'PATCH':
      return 'PATCH';
    case 'HEAD':
      return 'HEAD';
    case 'OPTIONS':
      return 'OPTIONS';
    case 'TRACE':
      return 'TRACE';
    case 'CONNECT':
      return 'CONNECT';
    default:
      return INVALID_METHOD;
  }
}

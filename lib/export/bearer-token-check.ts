import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

/**
 * Returns a check of an `Authorization` header against `Bearer <token>` (scheme case-insensitive,
 * RFC 7235). The presented and expected tokens are hashed to equal-length digests and compared with
 * `timingSafeEqual`, so the time taken does not depend on how much of the token matches.
 * @internal
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const presented = BEARER.exec(authorization ?? '')?.[1];
    return timingSafeEqual(digest(presented ?? ''), expected) && presented !== undefined;
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

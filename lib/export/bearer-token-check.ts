import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Returns a check of an `Authorization` header against `Bearer <token>`. Both sides are hashed
 * to equal-length digests and compared with `timingSafeEqual`, so the comparison takes the same
 * time whatever the header holds.
 * @internal
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(`Bearer ${token}`);
  return (authorization) => timingSafeEqual(digest(authorization ?? ''), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

const CACHE: string[] = Array.from({ length: 600 }, (_, code) => String(code));

/** The `status` label of a status code, without allocating for the usual codes. @internal */
export function statusLabel(code: number): string {
  return CACHE[code] ?? String(code);
}

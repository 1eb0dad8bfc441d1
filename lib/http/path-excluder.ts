/**
 * Tells whether a request URL is excluded from the HTTP metrics: its path (without query string)
 * equals one of the strings, or matches one of the RegExps.
 * @internal
 */
export function createPathExcluder(exclude: ReadonlyArray<string | RegExp>): ((url: string) => boolean) | undefined {
  if (exclude.length === 0) return undefined;
  const exact = new Set(exclude.filter((e): e is string => typeof e === 'string').map(normalize));
  const patterns = exclude.filter((e): e is RegExp => e instanceof RegExp);
  return (url) => {
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (exact.has(path)) return true;
    for (const pattern of patterns) {
      pattern.lastIndex = 0;
      if (pattern.test(path)) return true;
    }
    return false;
  };
}

function normalize(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

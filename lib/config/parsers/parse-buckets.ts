import { fail, ok, type ParseResult } from './parse-result.js';

const ACCEPTED = 'a non-empty, strictly increasing list of numbers, "+Inf" allowed last (e.g. "0.1,0.5,1,+Inf")';

/**
 * Parses histogram buckets from an array or a comma list. A trailing `+Inf` is dropped because
 * prom-client always adds it. @internal
 */
export function parseBuckets(value: unknown): ParseResult<ReadonlyArray<number>> {
  const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
  if (!Array.isArray(items) || items.length === 0) return fail(ACCEPTED);
  const bounds: number[] = [];
  for (const item of items as unknown[]) {
    const bound = toNumber(item);
    if (bound === undefined) return fail(ACCEPTED);
    const previous = bounds[bounds.length - 1];
    if (previous !== undefined && !(bound > previous)) return fail(ACCEPTED);
    if (previous === Infinity) return fail(ACCEPTED);
    bounds.push(bound);
  }
  if (bounds[bounds.length - 1] === Infinity) bounds.pop();
  return bounds.length > 0 ? ok(bounds) : fail(ACCEPTED);
}

function toNumber(item: unknown): number | undefined {
  if (typeof item === 'number') return Number.isNaN(item) || item === -Infinity ? undefined : item;
  if (typeof item !== 'string') return undefined;
  if (/^\+?inf$/i.test(item)) return Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(item)) return undefined;
  return Number(item);
}

/** Equality of metric values: `NaN` equals `NaN`, as in the exposition. @internal */
export function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * A change equals the expected change up to the rounding of the subtraction that computed it
 * (`0.3 - 0.2` is a change of `0.1`). @internal
 */
export function sameChange(change: number, expected: number, before: number, after: number): boolean {
  if (sameNumber(change, expected)) return true;
  const scale = Math.max(Math.abs(before), Math.abs(after), Math.abs(expected));
  return Number.isFinite(scale) && Math.abs(change - expected) <= 4 * Number.EPSILON * scale;
}

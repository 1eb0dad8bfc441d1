/** The label of a thrown value that cannot be named without running its own code. */
const UNNAMED = 'Object';

/**
 * The `type` label of a thrown value: its class name (`TypeError`, `ObjectionException`), or
 * `string`, `number`… for primitives. It never throws: a hostile value (a Proxy whose traps throw,
 * a getter on `constructor` that throws, a revoked Proxy) is labelled `Object`, and its own error
 * stays with it, for the app's exception filters to see.
 * @internal
 */
export function exceptionTypeName(exception: unknown): string {
  if (typeof exception !== 'object' || exception === null) return typeof exception;
  try {
    const name = (exception as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? name : UNNAMED;
  } catch {
    return UNNAMED;
  }
}

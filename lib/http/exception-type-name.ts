/** The `type` label of a thrown value: its class name (`TypeError`, `ObjectionException`), or `string`, `number`… for primitives. @internal */
export function exceptionTypeName(exception: unknown): string {
  if (typeof exception === 'object' && exception !== null) {
    const name = (exception as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? name : 'Object';
  }
  return typeof exception;
}

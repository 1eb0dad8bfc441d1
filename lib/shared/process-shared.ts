/**
 * A value shared by every copy of nest-prometheus loaded in this process, created on first use.
 * The package ships an ESM and a CommonJS build; an app can load both (its code `require()`s one,
 * a library `import`s the other), and each copy has its own module-level variables. State that
 * must be seen by both (which registries already have the HTTP metrics, which adapters are
 * measured, …) is kept here instead, under a `Symbol.for` key on `globalThis`. The key carries a
 * layout version: change it when the shape of the value changes.
 * @internal
 */
export function processShared<T>(key: string, create: () => T): T {
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  const symbol = Symbol.for(`nest-prometheus:${key}`);
  let value = holder[symbol];
  if (value === undefined) {
    value = create();
    Object.defineProperty(holder, symbol, { value, enumerable: false, configurable: false, writable: false });
  }
  return value;
}

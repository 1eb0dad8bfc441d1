/** Injection token of the custom metric named `name` (see `makeCounterProvider` and `@InjectMetric`). */
export function getMetricToken(name: string): symbol {
  return Symbol.for(`nest-prometheus:metric:${name}`);
}

// Type-checked with `module: commonjs` and `moduleResolution: node` (classic resolution, which
// ignores the exports map): both entry points must resolve to typed declarations, not `any`.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { HttpMetricsInterceptor, PrometheusModule, type PrometheusModuleOptions, getMetricToken, makeCounterProvider } from 'nest-prometheus';
import { FrozenRegistry, PrometheusTestingModule, assertMetricDiff, saveRegistry } from 'nest-prometheus/testing';
import { Registry } from 'prom-client';

const options: PrometheusModuleOptions = { defaultMetrics: false, http: { exclude: ['/health'] } };

@Module({
  imports: [PrometheusModule.forRoot(options)],
  providers: [makeCounterProvider({ name: 'typed_total', help: 'Typed.' })],
})
export class TypedModule {}

export const testing = PrometheusTestingModule.forRoot();
export const token: symbol = getMetricToken('typed_total');
export const interceptor: HttpMetricsInterceptor = new HttpMetricsInterceptor();

export async function check(registry: Registry): Promise<void> {
  const frozen: FrozenRegistry = await saveRegistry(registry);
  await assertMetricDiff(frozen, 1, 'typed_total');
  // @ts-expect-error wrong argument type: proves the helpers are typed, not `any`.
  await assertMetricDiff(frozen, 'one', 'typed_total');
}

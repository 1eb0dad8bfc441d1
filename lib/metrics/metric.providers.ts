import type { FactoryProvider } from '@nestjs/common';
import {
  Counter,
  Gauge,
  Histogram,
  Summary,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Metric,
  type Registry,
  type SummaryConfiguration,
} from 'prom-client';
import { PROMETHEUS_REGISTRY } from '../prometheus.constants.js';
import { getOrCreateMetric, type MetricClass } from '../registry/get-or-create-metric.js';
import { getMetricToken } from './metric-token.js';

type WithoutRegisters<C> = Omit<C, 'registers'>;

function makeMetricProvider<M extends Metric<string>, C extends { name: string }>(
  MetricType: MetricClass<M, C>,
  configuration: C,
): FactoryProvider<M> {
  return {
    provide: getMetricToken(configuration.name),
    useFactory: (registry: Registry) => getOrCreateMetric(registry, MetricType, configuration),
    inject: [PROMETHEUS_REGISTRY],
  };
}

/**
 * A provider of a counter registered on the module's registry; inject it with `@InjectMetric(name)`.
 * @example providers: [makeCounterProvider({ name: 'orders_total', help: 'Orders placed', labelNames: ['kind'] })]
 */
export function makeCounterProvider<T extends string = string>(
  configuration: WithoutRegisters<CounterConfiguration<T>>,
): FactoryProvider<Counter<T>> {
  return makeMetricProvider<Counter<T>, CounterConfiguration<T>>(Counter, configuration);
}

/** A provider of a gauge registered on the module's registry; inject it with `@InjectMetric(name)`. */
export function makeGaugeProvider<T extends string = string>(
  configuration: WithoutRegisters<GaugeConfiguration<T>>,
): FactoryProvider<Gauge<T>> {
  return makeMetricProvider<Gauge<T>, GaugeConfiguration<T>>(Gauge, configuration);
}

/** A provider of a histogram registered on the module's registry; inject it with `@InjectMetric(name)`. */
export function makeHistogramProvider<T extends string = string>(
  configuration: WithoutRegisters<HistogramConfiguration<T>>,
): FactoryProvider<Histogram<T>> {
  return makeMetricProvider<Histogram<T>, HistogramConfiguration<T>>(Histogram, configuration);
}

/** A provider of a summary registered on the module's registry; inject it with `@InjectMetric(name)`. */
export function makeSummaryProvider<T extends string = string>(
  configuration: WithoutRegisters<SummaryConfiguration<T>>,
): FactoryProvider<Summary<T>> {
  return makeMetricProvider<Summary<T>, SummaryConfiguration<T>>(Summary, configuration);
}

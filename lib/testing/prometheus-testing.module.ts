import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { PROMETHEUS_CONFIG } from '../prometheus.constants.js';
import { PrometheusModule } from '../prometheus.module.js';
import type { PrometheusTestingModuleOptions } from './prometheus-testing-options.interface.js';
import { testingConfigProvider } from './testing-config.provider.js';

/**
 * `PrometheusModule` for tests. Every app (or `TestingModule`) created from it writes to a fresh
 * `Registry` of its own, made when the app is created, unless `registry` is given: nothing leaks from
 * one test app to the next, even when they share one module class, and nothing reaches prom-client's
 * global `register`. It collects no default metrics unless asked, opens no metrics port and reads no
 * `PROMETHEUS_*` environment variable. Everything else (HTTP metrics, the `/metrics` controller,
 * custom metric providers) works as in the app. Get the registry with `getTestRegistry(app)`.
 * @example
 * const moduleRef = await Test.createTestingModule({ imports: [PrometheusTestingModule.forRoot(), ItemsModule] }).compile();
 * const registry = getTestRegistry(moduleRef);
 */
@Module({})
export class PrometheusTestingModule {
  /**
   * `PrometheusModule.forRoot(options)` for a test app: fresh registry per app, `defaultMetrics`
   * `false` unless given, no `export`, no environment.
   */
  static forRoot(options: PrometheusTestingModuleOptions = {}): DynamicModule {
    if ((options as { export?: unknown }).export !== undefined) {
      throw new TypeError('PrometheusTestingModule: option `export` is not accepted; a test app never opens a metrics port (scrape the /metrics controller instead)');
    }
    const definition = PrometheusModule.forRoot({ ...options, defaultMetrics: options.defaultMetrics ?? false });
    const providers = (definition.providers ?? []).filter((provider) => !providesConfig(provider));
    return { ...definition, providers: [...providers, testingConfigProvider] };
  }
}

function providesConfig(provider: Provider): boolean {
  return typeof provider === 'object' && provider !== null && 'provide' in provider && provider.provide === PROMETHEUS_CONFIG;
}

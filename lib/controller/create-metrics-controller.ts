import { Controller, UseGuards, type Type } from '@nestjs/common';
import type { MetricsControllerOptions } from '../interfaces/prometheus-options.interface.js';
import { MetricsController } from './metrics.controller.js';
import { resolveControllerConfig } from './resolve-controller-config.js';

/**
 * A fresh subclass of `MetricsController` carrying this module's path, guards and decorators, so
 * two modules (or two apps) never share, or overwrite, one class's metadata.
 * @internal
 */
export function createMetricsController(options: MetricsControllerOptions | undefined): Type<MetricsController> {
  const config = resolveControllerConfig(options);
  class ConfiguredMetricsController extends MetricsController {}
  Object.defineProperty(ConfiguredMetricsController, 'name', { value: MetricsController.name });
  Controller(config.path)(ConfiguredMetricsController);
  if (config.guards.length > 0) UseGuards(...config.guards)(ConfiguredMetricsController);
  for (const decorate of config.decorators) decorate(ConfiguredMetricsController);
  return ConfiguredMetricsController;
}

import { checkOptionKeys } from '../config/check-option-keys.js';
import { PrometheusConfigError } from '../config/prometheus-config.error.js';
import type { ResolvedControllerConfig } from '../config/prometheus-config.interface.js';
import { DEFAULT_CONTROLLER_PATH } from '../config/prometheus-defaults.js';
import { describeProblem } from '../config/setting-source.js';
import type { MetricsControllerOptions } from '../interfaces/prometheus-options.interface.js';

const KEYS = ['path', 'guards', 'decorators'];
const PATH = /^[A-Za-z0-9._~!$&'()*+,;=:@%-]+(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*$/;

/**
 * Validates the controller options, which are read when the module is declared.
 * @internal
 */
export function resolveControllerConfig(options: MetricsControllerOptions | undefined): ResolvedControllerConfig {
  const problems: string[] = [];
  const value = options ?? {};
  if (typeof value !== 'object' || value === null) {
    throw new PrometheusConfigError([describeProblem({ name: 'option `controller`', value }, 'false or { path, guards, decorators }')]);
  }
  checkOptionKeys(value, KEYS, 'controller.', problems);
  const path = (value.path ?? DEFAULT_CONTROLLER_PATH).replace(/^\/+|\/+$/g, '');
  if (typeof value.path !== 'undefined' && (typeof value.path !== 'string' || !PATH.test(path))) {
    problems.push(describeProblem({ name: 'option `controller.path`', value: value.path }, 'a non-empty URL path such as "metrics" or "internal/metrics"'));
  }
  const guards = value.guards ?? [];
  if (!Array.isArray(guards) || !guards.every((g) => typeof g === 'function' || (typeof g === 'object' && g !== null && 'canActivate' in g))) {
    problems.push(describeProblem({ name: 'option `controller.guards`', value: '<not guards>' }, 'an array of guard classes or instances'));
  }
  const decorators = value.decorators ?? [];
  if (!Array.isArray(decorators) || !decorators.every((d) => typeof d === 'function')) {
    problems.push(describeProblem({ name: 'option `controller.decorators`', value: '<not decorators>' }, 'an array of class decorators'));
  }
  if (problems.length > 0) throw new PrometheusConfigError(problems);
  return Object.freeze({ path, guards: Object.freeze([...guards]), decorators: Object.freeze([...decorators]) });
}

import { register as globalRegistry, Registry } from 'prom-client';
import type {
  HttpMetricsOptions,
  MetricsExportOptions,
  PrometheusModuleExtras,
  PrometheusModuleOptions,
} from '../interfaces/prometheus-options.interface.js';
import { checkOptionKeys } from './check-option-keys.js';
import { parseAddress } from './parsers/parse-address.js';
import { parseBoolean } from './parsers/parse-boolean.js';
import { parseBuckets } from './parsers/parse-buckets.js';
import { parseNamespace } from './parsers/parse-namespace.js';
import { parseNonEmptyString } from './parsers/parse-non-empty-string.js';
import { parsePort } from './parsers/parse-port.js';
import { parsePortRange } from './parsers/parse-port-range.js';
import { parseToken, TOKEN_ACCEPTED } from './parsers/parse-token.js';
import type { ParseResult } from './parsers/parse-result.js';
import { PrometheusConfigError } from './prometheus-config.error.js';
import type { PrometheusConfig, ResolvedExportConfig, ResolvedHttpConfig } from './prometheus-config.interface.js';
import { DEFAULT_LATENCY_BUCKETS, DEFAULT_VIEW_LABEL, VIEW_LABEL_MODES } from './prometheus-defaults.js';
import { describeEmptyVariable, describeProblem, readSetting, type Setting } from './setting-source.js';

const OPTION_KEYS: ReadonlyArray<keyof PrometheusModuleOptions> = [
  'registry', 'namespace', 'latencyBuckets', 'http', 'export', 'multiprocessDir', 'database', 'cache', 'exportMigrations',
  'defaultMetrics',
];
const HTTP_KEYS: ReadonlyArray<keyof HttpMetricsOptions> = ['viewLabel', 'exclude', 'countAbortedRequests'];
const EXPORT_KEYS: ReadonlyArray<keyof MetricsExportOptions> = ['port', 'portRange', 'address', 'token', 'threaded'];
/** Read when the module is declared; only an async factory can put them among the options. */
const DECLARATION_KEYS: ReadonlyArray<keyof PrometheusModuleExtras> = ['controller', 'isGlobal'];

/**
 * Turns raw module options into the configuration every part of the module reads:
 * explicit option > environment variable > default. Every problem is collected and reported in one
 * `PrometheusConfigError` that names the option or variable, the value and what is accepted.
 */
export function resolvePrometheusConfig(
  options: PrometheusModuleOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): PrometheusConfig {
  const problems: string[] = [];
  const read = <T>(setting: Setting, optionValue: unknown, parse: (v: unknown) => ParseResult<T>): T | undefined => {
    const source = readSetting(setting, optionValue, env);
    if (source.from === 'default') return undefined;
    if (source.from === 'empty-env') {
      problems.push(describeEmptyVariable(source, acceptedBy(parse)));
      return undefined;
    }
    const parsed = parse(source.value);
    if (parsed.ok) return parsed.value;
    problems.push(describeProblem(source, parsed.accepted));
    return undefined;
  };

  for (const key of DECLARATION_KEYS) {
    if (key in options) {
      problems.push(
        `option \`${key}\` was returned by an async options factory, where it is too late to take effect; ` +
          `pass it to forRootAsync({ ${key}, useFactory, … }) beside the factory`,
      );
    }
  }
  checkOptionKeys(options, OPTION_KEYS, '', problems, DECLARATION_KEYS);
  const registry = resolveRegistry(options.registry, problems);
  const namespace = read({ option: 'namespace', env: ['PROMETHEUS_METRIC_NAMESPACE'] }, options.namespace, parseNamespace) ?? '';
  const latencyBuckets =
    read({ option: 'latencyBuckets', env: ['PROMETHEUS_LATENCY_BUCKETS'] }, options.latencyBuckets, parseBuckets) ??
    DEFAULT_LATENCY_BUCKETS;
  const http = resolveHttp(options.http, read, problems);
  const exportConfig = resolveExport(options.export, read, problems);
  const multiprocessDir = read(
    { option: 'multiprocessDir', env: ['PROMETHEUS_MULTIPROC_DIR', 'prometheus_multiproc_dir'] },
    options.multiprocessDir,
    parseNonEmptyString,
  );
  const database = read({ option: 'database', env: ['PROMETHEUS_DB_METRICS'] }, options.database, parseBoolean) ?? true;
  const cache = read({ option: 'cache', env: ['PROMETHEUS_CACHE_METRICS'] }, options.cache, parseBoolean) ?? true;
  const exportMigrations =
    read({ option: 'exportMigrations', env: ['PROMETHEUS_EXPORT_MIGRATIONS'] }, options.exportMigrations, parseBoolean) ?? false;
  const defaultMetrics = resolveDefaultMetrics(options.defaultMetrics, problems);

  if (problems.length > 0) throw new PrometheusConfigError(problems);
  return Object.freeze({
    registry,
    namespace,
    latencyBuckets: Object.freeze([...latencyBuckets]),
    http,
    export: exportConfig,
    multiprocessDir,
    database,
    cache,
    exportMigrations,
    defaultMetrics,
  });
}

/** What `parse` accepts, as its own failure message says. */
function acceptedBy(parse: (v: unknown) => ParseResult<unknown>): string {
  const result = parse(undefined);
  return result.ok ? 'a value' : result.accepted;
}

type Reader = <T>(setting: Setting, optionValue: unknown, parse: (v: unknown) => ParseResult<T>) => T | undefined;

function resolveRegistry(registry: unknown, problems: string[]): Registry {
  if (registry === undefined) return globalRegistry;
  if (registry instanceof Registry) return registry;
  problems.push(describeProblem({ name: 'option `registry`', value: registry }, 'a prom-client Registry'));
  return globalRegistry;
}

function resolveHttp(option: unknown, read: Reader, problems: string[]): ResolvedHttpConfig | false {
  const isObject = typeof option === 'object' && option !== null;
  const enabled = read({ option: 'http', env: ['PROMETHEUS_HTTP_METRICS'] }, isObject ? undefined : option, parseBoolean);
  if (enabled === false) return false;
  if (!isObject) return Object.freeze({ viewLabel: DEFAULT_VIEW_LABEL, exclude: Object.freeze([]), countAbortedRequests: true });

  const http = option as HttpMetricsOptions;
  checkOptionKeys(http, HTTP_KEYS, 'http.', problems);
  let viewLabel = DEFAULT_VIEW_LABEL;
  if (http.viewLabel !== undefined) {
    if (VIEW_LABEL_MODES.includes(http.viewLabel)) viewLabel = http.viewLabel;
    else problems.push(describeProblem({ name: 'option `http.viewLabel`', value: http.viewLabel }, '"handler" or "route"'));
  }
  const exclude = http.exclude ?? [];
  const valid = Array.isArray(exclude) && exclude.every((e) => typeof e === 'string' || e instanceof RegExp);
  if (!valid) {
    problems.push(describeProblem({ name: 'option `http.exclude`', value: exclude }, 'an array of path strings and RegExps'));
  }
  const countAbortedRequests = http.countAbortedRequests ?? true;
  if (typeof countAbortedRequests !== 'boolean') {
    problems.push(describeProblem({ name: 'option `http.countAbortedRequests`', value: countAbortedRequests }, 'true or false'));
  }
  return Object.freeze({ viewLabel, exclude: Object.freeze(valid ? [...exclude] : []), countAbortedRequests: countAbortedRequests !== false });
}

function resolveExport(option: MetricsExportOptions | undefined, read: Reader, problems: string[]): ResolvedExportConfig {
  const exp = option ?? {};
  if (typeof exp !== 'object' || exp === null) {
    problems.push(describeProblem({ name: 'option `export`', value: exp }, 'an object { port, portRange, address, token, threaded }'));
    return Object.freeze({ threaded: false });
  }
  checkOptionKeys(exp, EXPORT_KEYS, 'export.', problems);
  // port and portRange are one choice: an explicit option for either one wins over both variables.
  const explicit = exp.port !== undefined || exp.portRange !== undefined;
  const portEnv = explicit ? [] : ['PROMETHEUS_METRICS_EXPORT_PORT'];
  const rangeEnv = explicit ? [] : ['PROMETHEUS_METRICS_EXPORT_PORT_RANGE'];
  const port = read({ option: 'export.port', env: portEnv }, exp.port, parsePort);
  const portRange = read({ option: 'export.portRange', env: rangeEnv }, exp.portRange, parsePortRange);
  const address = read({ option: 'export.address', env: ['PROMETHEUS_METRICS_EXPORT_ADDRESS'] }, exp.address, parseAddress);
  const token = read({ option: 'export.token', env: ['PROMETHEUS_METRICS_EXPORT_TOKEN'] }, exp.token, parseToken);
  const threaded = read({ option: 'export.threaded', env: ['PROMETHEUS_METRICS_EXPORT_THREADED'] }, exp.threaded, parseBoolean) ?? false;
  if (port !== undefined || portRange !== undefined) {
    // `token: process.env.METRICS_TOKEN` with that variable unset must not open the port to anyone.
    const resolved = { token, address };
    for (const key of ['token', 'address'] as const) {
      if (key in exp && exp[key] === undefined && resolved[key] === undefined) {
        problems.push(
          `option \`export.${key}\` is present but undefined (often \`process.env.SOMETHING\` of an unset variable) while a metrics port ` +
            `is configured; expected ${key === 'token' ? TOKEN_ACCEPTED : 'an address'}, or remove the key to ` +
            (key === 'token' ? 'serve the port without a token' : 'bind all interfaces'),
        );
      }
    }
  }
  return Object.freeze({ port, portRange: portRange && Object.freeze([...portRange]), address, token, threaded });
}

function resolveDefaultMetrics(option: unknown, problems: string[]): PrometheusConfig['defaultMetrics'] {
  if (option === undefined || option === true) return Object.freeze({});
  if (option === false) return false;
  if (typeof option === 'object' && option !== null && !Array.isArray(option)) {
    if ('register' in option) {
      problems.push(describeProblem({ name: 'option `defaultMetrics.register`', value: '<Registry>' }, 'no register (set `registry` instead)'));
    }
    return Object.freeze({ ...(option as object) });
  }
  problems.push(describeProblem({ name: 'option `defaultMetrics`', value: option }, 'true, false or a prom-client DefaultMetricsCollectorConfiguration object'));
  return false;
}

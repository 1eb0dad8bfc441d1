import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PrometheusConfigError, PrometheusModule, resolvePrometheusConfig, type PrometheusModuleOptions } from 'nest-prometheus';
import { Registry } from 'prom-client';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Resolves with the given options and environment and returns the error message. */
function messageOf(options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolvePrometheusConfig(options as PrometheusModuleOptions, env);
  } catch (error) {
    assert.ok(error instanceof PrometheusConfigError, `expected PrometheusConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail(`no error for ${JSON.stringify(options)} / ${JSON.stringify(env)}`);
}

describe('configuration errors name the setting, the value and what is accepted', () => {
  const optionCases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['port out of range', { export: { port: 70000 } }, /option `export\.port` is 70000; expected an integer port from 1 to 65535/],
    ['port zero', { export: { port: 0 } }, /option `export\.port` is 0; expected an integer port from 1 to 65535/],
    ['fractional port', { export: { port: 80.5 } }, /option `export\.port` is 80\.5; expected an integer port/],
    ['reversed range', { export: { portRange: '8010-8001' } }, /option `export\.portRange` is "8010-8001"; expected a range "8001-8010" or a list "8001,8002"/],
    ['range with a bad port', { export: { portRange: [8001, 99999] } }, /option `export\.portRange` is \[8001, 99999\]; expected a range/],
    ['empty range', { export: { portRange: [] } }, /option `export\.portRange` is \[\]; expected a range/],
    ['bad address', { export: { address: 'not an address!' } }, /option `export\.address` is "not an address!"; expected an IPv4 or IPv6 address or a host name/],
    ['empty token', { export: { token: '' } }, /option `export\.token` is ""; expected a non-empty string/],
    ['unsorted buckets', { latencyBuckets: [0.5, 0.1] }, /option `latencyBuckets` is \[0\.5, 0\.1\]; expected a non-empty, strictly increasing list of numbers/],
    ['duplicate buckets', { latencyBuckets: [0.1, 0.1] }, /option `latencyBuckets` is \[0\.1, 0\.1\]; expected a non-empty, strictly increasing/],
    ['non-numeric bucket', { latencyBuckets: ['a'] }, /option `latencyBuckets` is \["a"\]; expected a non-empty, strictly increasing/],
    ['empty buckets', { latencyBuckets: [] }, /option `latencyBuckets` is \[\]; expected a non-empty/],
    ['bucket after +Inf', { latencyBuckets: [1, Infinity, 2] }, /option `latencyBuckets` is \[1, Infinity, 2\]; expected/],
    ['namespace with a dash', { namespace: 'my-app' }, /option `namespace` is "my-app"; expected empty or a metric-name prefix matching \[a-zA-Z_\]\[a-zA-Z0-9_\]\*/],
    ['namespace starting with a digit', { namespace: '1app' }, /option `namespace` is "1app"; expected empty or a metric-name prefix/],
    ['http not boolean', { http: 'yes please' }, /option `http` is "yes please"; expected true or false/],
    ['viewLabel', { http: { viewLabel: 'url' } }, /option `http\.viewLabel` is "url"; expected "handler" or "route"/],
    ['exclude', { http: { exclude: [42] } }, /option `http\.exclude` is \[42\]; expected an array of path strings and RegExps/],
    ['countAbortedRequests', { http: { countAbortedRequests: 'no' } }, /option `http\.countAbortedRequests` is "no"; expected true or false/],
    ['database', { database: 'sometimes' }, /option `database` is "sometimes"; expected true or false/],
    ['cache', { cache: 2 }, /option `cache` is 2; expected true or false/],
    ['exportMigrations', { exportMigrations: 'maybe' }, /option `exportMigrations` is "maybe"; expected true or false/],
    ['multiprocessDir', { multiprocessDir: '' }, /option `multiprocessDir` is ""; expected a non-empty string/],
    ['registry', { registry: {} }, /option `registry` is \{\}; expected a prom-client Registry/],
    ['defaultMetrics', { defaultMetrics: 'on' }, /option `defaultMetrics` is "on"; expected true, false or a prom-client DefaultMetricsCollectorConfiguration/],
    ['unknown option', { namepsace: 'x' }, /option `namepsace` is unknown; accepted options: registry, namespace, latencyBuckets/],
    ['unknown export option', { export: { prot: 1 } }, /option `export\.prot` is unknown; accepted options: export\.port, export\.portRange/],
    ['controller from an async factory', { controller: false }, /option `controller` was returned by an async options factory.*forRootAsync\(\{ controller, useFactory/],
  ];
  for (const [title, options, expected] of optionCases) {
    it(`option: ${title}`, () => assert.match(messageOf(options), expected));
  }

  const envCases: Array<[string, string, RegExp]> = [
    ['PROMETHEUS_METRICS_EXPORT_PORT', 'abc', /environment variable PROMETHEUS_METRICS_EXPORT_PORT is "abc"; expected an integer port from 1 to 65535/],
    ['PROMETHEUS_METRICS_EXPORT_PORT', '65536', /environment variable PROMETHEUS_METRICS_EXPORT_PORT is "65536"; expected an integer port/],
    ['PROMETHEUS_METRICS_EXPORT_PORT_RANGE', '8001-', /environment variable PROMETHEUS_METRICS_EXPORT_PORT_RANGE is "8001-"; expected a range "8001-8010" or a list "8001,8002"/],
    ['PROMETHEUS_METRICS_EXPORT_PORT_RANGE', '8001,x', /environment variable PROMETHEUS_METRICS_EXPORT_PORT_RANGE is "8001,x"; expected a range/],
    ['PROMETHEUS_METRICS_EXPORT_ADDRESS', 'bad host!', /environment variable PROMETHEUS_METRICS_EXPORT_ADDRESS is "bad host!"; expected an IPv4 or IPv6 address/],
    ['PROMETHEUS_LATENCY_BUCKETS', '1,0.5', /environment variable PROMETHEUS_LATENCY_BUCKETS is "1,0\.5"; expected a non-empty, strictly increasing list of numbers, "\+Inf" allowed last/],
    ['PROMETHEUS_LATENCY_BUCKETS', '0.1,fast', /environment variable PROMETHEUS_LATENCY_BUCKETS is "0\.1,fast"; expected a non-empty, strictly increasing/],
    ['PROMETHEUS_METRIC_NAMESPACE', 'my app', /environment variable PROMETHEUS_METRIC_NAMESPACE is "my app"; expected empty or a metric-name prefix/],
    ['PROMETHEUS_HTTP_METRICS', 'nope', /environment variable PROMETHEUS_HTTP_METRICS is "nope"; expected true or false/],
    ['PROMETHEUS_DB_METRICS', 'nope', /environment variable PROMETHEUS_DB_METRICS is "nope"; expected true or false/],
    ['PROMETHEUS_CACHE_METRICS', 'nope', /environment variable PROMETHEUS_CACHE_METRICS is "nope"; expected true or false/],
    ['PROMETHEUS_EXPORT_MIGRATIONS', 'sometimes', /environment variable PROMETHEUS_EXPORT_MIGRATIONS is "sometimes"; expected true or false/],
  ];
  for (const [variable, value, expected] of envCases) {
    it(`env: ${variable}=${value}`, () => assert.match(messageOf({}, { [variable]: value }), expected));
  }

  it('reports every problem at once', () => {
    const message = messageOf({ namespace: '-' }, { PROMETHEUS_METRICS_EXPORT_PORT: '0', PROMETHEUS_HTTP_METRICS: 'x' });
    assert.match(message, /invalid configuration:\n {2}- /);
    assert.match(message, /option `namespace`/);
    assert.match(message, /PROMETHEUS_METRICS_EXPORT_PORT/);
    assert.match(message, /PROMETHEUS_HTTP_METRICS/);
  });

  it('an explicit option wins over its environment variable, which wins over the default', () => {
    const env = { PROMETHEUS_METRIC_NAMESPACE: 'fromenv', PROMETHEUS_LATENCY_BUCKETS: '0.1, 1 ,+Inf', PROMETHEUS_HTTP_METRICS: 'FALSE' };
    const fromEnv = resolvePrometheusConfig({}, env);
    assert.equal(fromEnv.namespace, 'fromenv');
    assert.deepEqual(fromEnv.latencyBuckets, [0.1, 1]);
    assert.equal(fromEnv.http, false);
    const explicit = resolvePrometheusConfig({ namespace: 'explicit', http: true }, env);
    assert.equal(explicit.namespace, 'explicit');
    assert.deepEqual(explicit.http, { viewLabel: 'handler', exclude: [], countAbortedRequests: true });
    const withoutAborted = resolvePrometheusConfig({ http: { countAbortedRequests: false } }, {}).http;
    assert.ok(withoutAborted !== false);
    assert.equal(withoutAborted.countAbortedRequests, false);
    const defaults = resolvePrometheusConfig({}, {});
    assert.equal(defaults.namespace, '');
    assert.equal(defaults.latencyBuckets.length, 16);
    assert.equal(defaults.exportMigrations, false);
    assert.equal(defaults.database, true);
    assert.equal(defaults.cache, true);
    const off = resolvePrometheusConfig({}, { PROMETHEUS_DB_METRICS: 'false', PROMETHEUS_CACHE_METRICS: '0' });
    assert.equal(off.database, false);
    assert.equal(off.cache, false);
    assert.equal(resolvePrometheusConfig({ database: true, cache: true }, { PROMETHEUS_DB_METRICS: 'false', PROMETHEUS_CACHE_METRICS: '0' }).database, true);
    assert.deepEqual(defaults.export, { port: undefined, portRange: undefined, address: undefined, token: undefined, threaded: false });
  });

  it('an explicit export.port or export.portRange wins over both port variables', () => {
    const env = { PROMETHEUS_METRICS_EXPORT_PORT: '9100', PROMETHEUS_METRICS_EXPORT_PORT_RANGE: '8001-8003' };
    assert.deepEqual(resolvePrometheusConfig({ export: { port: 9200 } }, env).export.portRange, undefined);
    assert.equal(resolvePrometheusConfig({ export: { port: 9200 } }, env).export.port, 9200);
    assert.equal(resolvePrometheusConfig({ export: { portRange: '7001-7002' } }, env).export.port, undefined);
    assert.deepEqual(resolvePrometheusConfig({}, env).export.portRange, [8001, 8002, 8003]);
  });

  it('reads every export variable and both spellings of the multiprocess directory', () => {
    const config = resolvePrometheusConfig({}, {
      PROMETHEUS_METRICS_EXPORT_PORT: '9100',
      PROMETHEUS_METRICS_EXPORT_PORT_RANGE: '8001-8003',
      PROMETHEUS_METRICS_EXPORT_ADDRESS: '127.0.0.1',
      PROMETHEUS_METRICS_EXPORT_TOKEN: 's3cret',
      prometheus_multiproc_dir: '/tmp/prom',
      PROMETHEUS_EXPORT_MIGRATIONS: 'true',
    });
    assert.deepEqual(config.export, { port: 9100, portRange: [8001, 8002, 8003], address: '127.0.0.1', token: 's3cret', threaded: false });
    assert.equal(config.multiprocessDir, '/tmp/prom');
    assert.equal(config.exportMigrations, true);
    assert.equal(resolvePrometheusConfig({}, { PROMETHEUS_MULTIPROC_DIR: '/a', prometheus_multiproc_dir: '/b' }).multiprocessDir, '/a');
    assert.deepEqual(resolvePrometheusConfig({}, { PROMETHEUS_METRICS_EXPORT_PORT_RANGE: '8001, 8005' }).export.portRange, [8001, 8005]);
  });

  it('controller options are checked when the module is declared', () => {
    assert.throws(() => PrometheusModule.forRoot({ controller: { path: 'has space' } }), /option `controller\.path` is "has space"; expected a non-empty URL path/);
    assert.throws(() => PrometheusModule.forRoot({ controller: { guards: ['x' as never] } }), /option `controller\.guards`.*expected an array of guard classes or instances/);
    assert.throws(() => PrometheusModule.forRoot({ controller: { pth: 'x' } as never }), /option `controller\.pth` is unknown; accepted options: controller\.path, controller\.guards, controller\.decorators/);
  });

  it('a Nest app with an invalid environment variable fails at startup with the message', async () => {
    const saved = process.env.PROMETHEUS_METRICS_EXPORT_PORT;
    process.env.PROMETHEUS_METRICS_EXPORT_PORT = 'eighty';
    try {
      @Module({ imports: [PrometheusModule.forRoot({ registry: new Registry() })] })
      class BadEnvModule {}
      await assert.rejects(
        NestFactory.create(BadEnvModule, { logger: false, abortOnError: false }),
        /environment variable PROMETHEUS_METRICS_EXPORT_PORT is "eighty"; expected an integer port from 1 to 65535/,
      );
    } finally {
      if (saved === undefined) delete process.env.PROMETHEUS_METRICS_EXPORT_PORT;
      else process.env.PROMETHEUS_METRICS_EXPORT_PORT = saved;
    }
  });

  // The one rule: a variable set to an empty or whitespace-only value is an error naming it, never "unset".
  const VARIABLES = [
    'PROMETHEUS_METRIC_NAMESPACE',
    'PROMETHEUS_LATENCY_BUCKETS',
    'PROMETHEUS_HTTP_METRICS',
    'PROMETHEUS_METRICS_EXPORT_PORT',
    'PROMETHEUS_METRICS_EXPORT_PORT_RANGE',
    'PROMETHEUS_METRICS_EXPORT_ADDRESS',
    'PROMETHEUS_METRICS_EXPORT_TOKEN',
    'PROMETHEUS_METRICS_EXPORT_THREADED',
    'PROMETHEUS_MULTIPROC_DIR',
    'prometheus_multiproc_dir',
    'PROMETHEUS_DB_METRICS',
    'PROMETHEUS_CACHE_METRICS',
    'PROMETHEUS_EXPORT_MIGRATIONS',
  ];

  it('the empty-value cases below cover every variable the resolver reads', () => {
    const resolver = join(dirname(createRequire(import.meta.url).resolve('nest-prometheus')), 'config/resolve-prometheus-config.js');
    const read = new Set(readFileSync(resolver, 'utf8').match(/'(PROMETHEUS_[A-Z_]+|prometheus_multiproc_dir)'/g)?.map((q) => q.slice(1, -1)));
    assert.ok(read.size >= 10, `found ${[...read].join(', ')}`);
    assert.deepEqual([...read].sort(), [...VARIABLES].sort());
  });

  for (const variable of VARIABLES) {
    for (const value of ['', '  \t']) {
      it(`env: ${variable}=${JSON.stringify(value)} is an error naming the variable, not the default`, () => {
        const withPort = variable.startsWith('PROMETHEUS_METRICS_EXPORT_') && !variable.includes('PORT') ? { PROMETHEUS_METRICS_EXPORT_PORT: '9100' } : {};
        const message = messageOf({}, { ...withPort, [variable]: value });
        assert.match(message, new RegExp(`environment variable ${variable} is set but (empty|blank \\(${JSON.stringify(value).replace(/\\/g, '\\\\')}\\)); an empty variable is an error, not "unset": unset it to use the default, or set it to .+`));
      });
    }
  }

  it('an empty variable is an error even where its option is valid empty (the namespace) and when another spelling is set', () => {
    assert.equal(resolvePrometheusConfig({ namespace: '' }, { PROMETHEUS_METRIC_NAMESPACE: '' }).namespace, '', 'the explicit option wins and the variable is not read');
    assert.match(messageOf({}, { PROMETHEUS_MULTIPROC_DIR: '', prometheus_multiproc_dir: '/tmp/x' }), /PROMETHEUS_MULTIPROC_DIR is set but empty/);
  });

  const badTokens: Array<[string, string]> = [
    ['a space', 'two words'],
    ['a non-ASCII character', 'tökén'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['a control character', 'a\u0001b'],
  ];
  for (const [title, token] of badTokens) {
    it(`a token with ${title} is rejected at startup (no Authorization header can carry it)`, () => {
      assert.match(messageOf({ export: { port: 9100, token } }), /option `export\.token` is .*; expected a non-empty string of visible ASCII characters without spaces \(what an `Authorization: Bearer <token>` header can carry\)/);
      assert.match(messageOf({}, { PROMETHEUS_METRICS_EXPORT_TOKEN: `x${token}y` }), /environment variable PROMETHEUS_METRICS_EXPORT_TOKEN is .*; expected a non-empty string of visible ASCII/);
    });
  }

  it('accepts tokens of visible ASCII, and trims the whitespace around a variable', () => {
    assert.equal(resolvePrometheusConfig({ export: { token: 'A-z_0.9~+/=!$' } }, {}).export.token, 'A-z_0.9~+/=!$');
    assert.equal(resolvePrometheusConfig({}, { PROMETHEUS_METRICS_EXPORT_TOKEN: ' s3cret\n' }).export.token, 's3cret');
  });

  it('`token: process.env.UNSET` beside a port is an error, not a port open to anyone; the same for the address', () => {
    const unset = process.env.NEST_PROMETHEUS_SURELY_UNSET;
    assert.equal(unset, undefined);
    assert.match(messageOf({ export: { port: 9100, token: unset } }), /option `export\.token` is present but undefined .* while a metrics port is configured; expected a non-empty string of visible ASCII/);
    assert.match(messageOf({ export: { portRange: '9100-9101', address: unset } }), /option `export\.address` is present but undefined .*or remove the key to bind all interfaces/);
    // The variable still fills it in; and with no port the key is harmless.
    assert.equal(resolvePrometheusConfig({ export: { port: 9100, token: unset } }, { PROMETHEUS_METRICS_EXPORT_TOKEN: 'fromenv' }).export.token, 'fromenv');
    assert.equal(resolvePrometheusConfig({ export: { token: unset } }, {}).export.token, undefined);
  });
});

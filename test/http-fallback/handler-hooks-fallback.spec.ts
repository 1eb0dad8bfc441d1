import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ADAPTERS } from '../support/adapters.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE = join(HERE, 'fallback-app.fixture.js');
// An internal module of the built package (not part of its public exports).
const { unrecognisedHandlerHookShape, HOOKS_INSTALLED } = (await import(pathToFileURL(join(HERE, '../../../dist/http/handler-hook-shape.js')).href)) as {
  unrecognisedHandlerHookShape(targets: { context: object | undefined; exceptions: object | undefined }): string | undefined;
  HOOKS_INSTALLED: symbol;
};

interface FixtureResult {
  readonly statuses: Record<string, number>;
  readonly series: string[];
  readonly warnings: string[];
}

function runFixture(mode: 'hooks' | 'fallback', adapter: string): Promise<FixtureResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [FIXTURE, mode, adapter], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null) return reject(new Error(`${mode}/${adapter} fixture failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').pop()!) as FixtureResult);
    });
  });
}

describe('the shape check of Nest`s private route-handler hooks', () => {
  const create = function (_a: unknown, _b: unknown, _c: unknown, _d: unknown, _e: unknown, _f = 0) {};
  const next = function (_a: unknown, _b: unknown) {};

  it('recognises the measured shapes, and prototypes already hooked', () => {
    assert.equal(unrecognisedHandlerHookShape({ context: { create }, exceptions: { next } }), undefined);
    assert.equal(unrecognisedHandlerHookShape({ context: { create: () => 0, [HOOKS_INSTALLED]: true }, exceptions: { next } }), undefined);
  });

  it('names what differs: a missing class, a missing method, another arity', () => {
    assert.equal(unrecognisedHandlerHookShape({ context: undefined, exceptions: { next } }), 'RouterExecutionContext is not exported where it was');
    assert.equal(unrecognisedHandlerHookShape({ context: {}, exceptions: { next } }), 'RouterExecutionContext#create is missing');
    assert.equal(
      unrecognisedHandlerHookShape({ context: { create: (_a: unknown) => 0 }, exceptions: { next } }),
      'RouterExecutionContext#create takes 1 parameters before its defaults, not 5',
    );
    assert.equal(
      unrecognisedHandlerHookShape({ context: { create }, exceptions: { next: () => 0 } }),
      'ExceptionsHandler#next takes 0 parameters before its defaults, not 2',
    );
  });
});

for (const adapter of ADAPTERS) {
  describe(`an unrecognised Nest falls back to the global HttpMetricsInterceptor (${adapter})`, () => {
    it('produces the same series as the hooks, except the view of a request a guard refused; warns once', async () => {
      const [hooks, fallback] = await Promise.all([runFixture('hooks', adapter), runFixture('fallback', adapter)]);
      assert.deepEqual(fallback.statuses, hooks.statuses, 'the app answers the same');
      assert.deepEqual(hooks.warnings, []);
      assert.equal(fallback.warnings.length, 1, fallback.warnings.join('\n'));
      assert.match(fallback.warnings[0]!, /not recognised on @nestjs\/core 1\d\.\d+\.\d+ \(RouterExecutionContext#create takes 0 parameters/);

      // The hooks see the guard's refusal as a request of ItemsController.guarded that threw
      // ForbiddenException; the interceptor never runs for it (guards run first).
      const guarded = (line: string): boolean => line.includes('ItemsController.guarded') || line.includes('ForbiddenException');
      const unknownLatency = (line: string): boolean => line.startsWith('nestjs_http_requests_unknown_latency_total');
      const refusedUnnamed = 'nestjs_http_responses_total_by_status_view_method_total{"status":"403","view":"<unnamed view>","method":"GET"} 1';
      const comparable = (series: string[]): string[] => series.filter((line) => !guarded(line) && !unknownLatency(line) && line !== refusedUnnamed);
      assert.deepEqual(comparable(fallback.series), comparable(hooks.series));
      assert.ok(comparable(hooks.series).some((line) => line.includes('"view":"ItemsController.getOne"')), 'the compared set has view series');
      assert.ok(hooks.series.some((line) => line.includes('"type":"BadRequestException"')), 'a pipe error is counted');
      assert.ok(fallback.series.some((line) => line.includes('"type":"BadRequestException"')), 'a pipe error is counted by the fallback too');

      // What the fallback cannot see, pinned so that a change is noticed.
      assert.ok(hooks.series.includes('nestjs_http_exceptions_total_by_type_total{"type":"ForbiddenException"} 1'));
      assert.ok(!fallback.series.some(guarded));
      assert.ok(fallback.series.includes(refusedUnnamed));
      assert.ok(hooks.series.includes('nestjs_http_requests_unknown_latency_total{} 1'));
      assert.ok(fallback.series.includes('nestjs_http_requests_unknown_latency_total{} 2'));
    });
  });
}

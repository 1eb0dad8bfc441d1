import { processShared } from '../shared/process-shared.js';
import type { HttpRequestState } from './http-request-state.js';

/**
 * The in-flight measurement of each request, keyed by the adapter's request object (Express `req`,
 * Fastify `request`). A WeakMap instead of a property on the request: the request's shape stays the
 * adapter's own (Express adds a dozen properties to `req` after the server's `request` event; one of
 * ours before them changes the hidden-class chain every later access goes through), and nothing of
 * ours shows on the objects an app sees. Measured with `npm run bench -- --instructions`, the change
 * was within the benchmark's noise on both adapters. One map per process, shared by the ESM and
 * CommonJS builds.
 */
const states = processShared('http-request-states:v1', () => new WeakMap<object, HttpRequestState>());

/** The measurement of `request`, if an instrumented app is measuring it. @internal */
export function requestStateOf(request: unknown): HttpRequestState | undefined {
  return typeof request === 'object' && request !== null ? states.get(request) : undefined;
}

/** Marks `request` as measured by `state`. @internal */
export function setRequestState(request: object, state: HttpRequestState): void {
  states.set(request, state);
}

import type { HttpRequestState } from './http-request-state.js';

/**
 * The key of a request's in-flight measurement on the adapter's request object (Express `req`,
 * Fastify `request`). A registered symbol, so that the ESM and CommonJS builds read the same slot,
 * and a symbol, so that nothing of ours shows in `Object.keys`, `for…in` or `JSON.stringify` of a
 * request. A property, not a `WeakMap`: counted with `npm run bench -- --instructions` and
 * `--perf-basic-prof`, the map's ephemeron table (rehashing as it fills between collections, its
 * write barrier's remembered set allocated with `malloc`, the identity hash of every request, the
 * scavenger clearing dead entries) cost 0.9–1.4k instructions per Fastify request, up to a fifth
 * of everything the package added; the property costs a store and a load. On Express a property
 * on `req` was once suspected of slowing Express's own reads; `node --log-ic` and the full runs
 * show no such effect (bench/RESULTS.md, "Where the instructions went").
 */
const STATE: unique symbol = Symbol.for('nest-prometheus:http-request-state') as never;

interface MeasuredRequest {
  [STATE]?: HttpRequestState | null;
}

/** The measurement of `request`, if an instrumented app is measuring it. @internal */
export function requestStateOf(request: unknown): HttpRequestState | undefined {
  return typeof request === 'object' && request !== null ? ((request as MeasuredRequest)[STATE] ?? undefined) : undefined;
}

/** Marks `request` as measured by `state`. @internal */
export function setRequestState(request: object, state: HttpRequestState): void {
  (request as MeasuredRequest)[STATE] = state;
}

/** The parts of a Fastify instance used to declare the slot (Fastify stays an optional peer). @internal */
export interface RequestDecorating {
  decorateRequest?(name: symbol, value: null): unknown;
  hasRequestDecorator?(name: symbol): boolean;
}

/**
 * Declares the state's slot on Fastify's request class (`decorateRequest`, initialised to `null` by
 * Fastify's request constructor): every request is then built with its final shape instead of
 * gaining a property in the `onRequest` hook. Only a speed-up: when the instance cannot be
 * decorated (already started, or an older Fastify), the hook adds the property itself.
 * @internal
 */
export function declareRequestState(fastify: RequestDecorating): void {
  try {
    if (typeof fastify.decorateRequest !== 'function' || fastify.hasRequestDecorator?.(STATE) === true) return;
    fastify.decorateRequest(STATE, null);
  } catch {
    // Not decorable now: the property is added per request instead.
  }
}

import type { DbSeries } from './db-series.js';
import { reportInstrumentationFailure } from './report-instrumentation-failure.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** Ends a statement measurement; a failure in the measurement itself is logged once. @internal */
export function endStatement(series: DbSeries, startedAt: number, failed: boolean, error?: unknown): void {
  try {
    series.statementEnded(startedAt, failed ? error : undefined);
  } catch (failure) {
    reportInstrumentationFailure('recording a statement', failure);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Calls a synchronous statement method, counting it before it runs and observing its duration
 * whether it returns or throws. The caller gets the same value, or the same error object.
 * @internal
 */
export function measureSync(series: DbSeries, fn: AnyFunction, self: unknown, args: ArrayLike<unknown>): unknown {
  const startedAt = series.statementStarted();
  let result: unknown;
  try {
    result = Reflect.apply(fn, self, args);
  } catch (error) {
    endStatement(series, startedAt, true, error);
    throw error;
  }
  endStatement(series, startedAt, false);
  return result;
}

/**
 * Calls a statement method that answers through a trailing callback or a promise (pg's
 * `query`), counting it before it runs and observing its duration when it settles. With a
 * callback, the callback gets the same arguments; with a promise, the caller gets a promise of the
 * same value or the same error object.
 * @internal
 */
export function measureAsync(series: DbSeries, fn: AnyFunction, self: unknown, args: ArrayLike<unknown>): unknown {
  const startedAt = series.statementStarted();
  const last = args.length - 1;
  const callback = last >= 0 ? args[last] : undefined;
  let callArgs: ArrayLike<unknown> = args;
  if (typeof callback === 'function') {
    const copy = Array.prototype.slice.call(args);
    copy[last] = function measuredCallback(this: unknown, error: unknown) {
      endStatement(series, startedAt, error !== null && error !== undefined, error);
      return Reflect.apply(callback as AnyFunction, this, arguments);
    };
    callArgs = copy;
  }
  let result: unknown;
  try {
    result = Reflect.apply(fn, self, callArgs);
  } catch (error) {
    endStatement(series, startedAt, true, error);
    throw error;
  }
  if (callArgs !== args) return result;
  if (isThenable(result)) {
    return result.then(
      (value) => {
        endStatement(series, startedAt, false);
        return value;
      },
      (error: unknown) => {
        endStatement(series, startedAt, true, error);
        throw error;
      },
    );
  }
  // No callback and no promise (a pg submittable such as a cursor or a stream): counted, not timed.
  return result;
}

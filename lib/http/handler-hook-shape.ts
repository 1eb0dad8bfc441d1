/** Marks a prototype whose method nest-prometheus already wrapped (shared by the ESM and CommonJS copies). @internal */
export const HOOKS_INSTALLED = Symbol.for('nest-prometheus:handler-hooks');

/** The two private Nest prototypes the handler hooks wrap. @internal */
export interface HandlerHookTargets {
  /** `RouterExecutionContext.prototype` (from `@nestjs/core/router/router-execution-context.js`). */
  readonly context: object | undefined;
  /** `ExceptionsHandler.prototype` (from `@nestjs/core/exceptions/exceptions-handler.js`). */
  readonly exceptions: object | undefined;
}

/**
 * What the hooks expect of Nest's private methods, as measured on NestJS 11.2 and 12.5:
 * `RouterExecutionContext#create(instance, callback, methodName, moduleKey, requestMethod,
 * contextId = …, inquirerId)` (`length` 5: parameters before the first default) returning the
 * `(req, res, next)` route handler, and `ExceptionsHandler#next(exception, host)` (`length` 2).
 * @returns why the shapes are not recognised, or `undefined` when they are
 * @internal
 */
export function unrecognisedHandlerHookShape(targets: HandlerHookTargets): string | undefined {
  return (
    methodProblem(targets.context, 'RouterExecutionContext', 'create', 5) ??
    methodProblem(targets.exceptions, 'ExceptionsHandler', 'next', 2)
  );
}

function methodProblem(prototype: object | undefined, className: string, method: string, arity: number): string | undefined {
  if (typeof prototype !== 'object' || prototype === null) return `${className} is not exported where it was`;
  const marked = prototype as Record<PropertyKey, unknown>;
  if (marked[HOOKS_INSTALLED] === true) return undefined;
  const fn = marked[method];
  if (typeof fn !== 'function') return `${className}#${method} is missing`;
  if (fn.length !== arity) return `${className}#${method} takes ${fn.length} parameters before its defaults, not ${arity}`;
  return undefined;
}

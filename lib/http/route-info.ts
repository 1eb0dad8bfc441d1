/**
 * What the instrumentation knows about one route handler, computed once when Nest builds the
 * handler's pipeline at bootstrap and attached to each request that reaches it.
 * @internal
 */
export interface RouteInfo {
  /** `ControllerClass.handlerName`. */
  readonly handler: string;
  /** The handler or its controller carries `@SkipMetrics()`. */
  readonly skip: boolean;
  /** The template of `@Render(...)`, if any. */
  readonly template: string | undefined;
}

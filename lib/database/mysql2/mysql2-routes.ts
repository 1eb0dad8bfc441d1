import { Logger } from '@nestjs/common';
import type { DbSeries } from '../db-series.js';

/** Where a mysql2 instance connects: what the driver's tracing contexts carry. @internal */
export interface Mysql2Endpoint {
  readonly serverAddress: string;
  readonly serverPort: number | undefined;
  readonly database: string;
}

/** One instrumented mysql2 instance: its endpoint and series. @internal */
export interface Mysql2Route extends Mysql2Endpoint {
  readonly series: DbSeries;
  /** Whether the instance was closed (`pool.end()`, `connection.end()`): its route is dropped. */
  readonly closed: () => boolean;
}

const routes: Mysql2Route[] = [];
let warnedAmbiguous = false;

/** @internal */
export function addMysql2Route(route: Mysql2Route): void {
  routes.push(route);
}

/**
 * The series for a tracing event that no config accessor traced to its instance: the most recently
 * instrumented open instance with the event's server address, port and database (a warning is
 * logged once if two aliases share that endpoint).
 * @internal
 */
export function findMysql2Series(context: Partial<Mysql2Endpoint>): DbSeries | undefined {
  let found: DbSeries | undefined;
  for (let i = routes.length - 1; i >= 0; i--) {
    const route = routes[i]!;
    if (route.serverAddress !== context.serverAddress || route.serverPort !== context.serverPort || route.database !== (context.database ?? '')) continue;
    if (route.closed()) {
      routes.splice(i, 1);
      continue;
    }
    if (found === undefined) {
      found = route.series;
    } else if (found !== route.series && !warnedAmbiguous) {
      warnedAmbiguous = true;
      new Logger('PrometheusModule').warn(
        `Database metrics: two mysql2 instances with aliases "${found.alias}" and "${route.series.alias}" reach ` +
          `${route.serverAddress}:${route.serverPort ?? ''}/${route.database} and an event could not be traced to either ` +
          `(a client that was not instrumented, or a config copied before instrumentation); it is counted under "${found.alias}"`,
      );
    }
  }
  return found;
}

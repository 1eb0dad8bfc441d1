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
 * The series of the instrumented instance a tracing event belongs to. mysql2's contexts carry the
 * server address, port and database, not the connection: the most recently instrumented open
 * instance with that endpoint wins (a warning is logged once if two aliases share one).
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
          `${route.serverAddress}:${route.serverPort ?? ''}/${route.database}; mysql2's tracing events do not say which ` +
          `connection they come from, so both are counted under "${found.alias}"`,
      );
    }
  }
  return found;
}

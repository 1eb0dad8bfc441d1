import diagnosticsChannel from 'node:diagnostics_channel';
import type { DbSeries } from '../db-series.js';
import { endStatement } from '../measured-call.js';
import { reportInstrumentationFailure } from '../report-instrumentation-failure.js';
import { takeMarkedRoute } from './mysql2-config-marker.js';
import { findMysql2Series, type Mysql2Endpoint } from './mysql2-routes.js';

const STATE = Symbol('nest-prometheus.db');

interface StatementState {
  readonly series: DbSeries;
  readonly startedAt: number;
  done: boolean;
}

type TracedContext = Partial<Mysql2Endpoint> & { error?: unknown; [STATE]?: StatementState };

let subscribed = false;

/** The instance's series: the one whose config mysql2 just read, else the one with this endpoint. */
function seriesOf(context: TracedContext): DbSeries | undefined {
  const marked = takeMarkedRoute(context);
  if (marked !== undefined && !marked.closed()) return marked.series;
  return findMysql2Series(context);
}

function statementStart(context: TracedContext): void {
  try {
    const series = seriesOf(context);
    if (series !== undefined) context[STATE] = { series, startedAt: series.statementStarted(), done: false };
  } catch (error) {
    reportInstrumentationFailure('counting a mysql2 statement', error);
  }
}

function statementDone(context: TracedContext): void {
  const state = context[STATE];
  if (state === undefined || state.done) return;
  state.done = true;
  endStatement(state.series, state.startedAt, context.error !== undefined, context.error);
}

function connectStart(context: TracedContext): void {
  try {
    const series = seriesOf(context);
    if (series === undefined) return;
    series.connectionStarted();
    context[STATE] = { series, startedAt: 0, done: false };
  } catch (error) {
    reportInstrumentationFailure('counting a mysql2 connection', error);
  }
}

function connectError(context: TracedContext): void {
  const state = context[STATE];
  if (state === undefined || state.done) return;
  state.done = true;
  state.series.connectionFailed();
}

/**
 * Subscribes (once per process) to the tracing channels mysql2 ≥ 3.20 publishes: `mysql2:query`
 * and `mysql2:execute` (a statement starts, fails, calls back) and `mysql2:connect` (a physical
 * connection handshake). mysql2 is not patched; events of instances nobody instrumented are ignored.
 * @internal
 */
export function subscribeMysql2Channels(): void {
  if (subscribed) return;
  subscribed = true;
  const statementHandlers = {
    start: statementStart,
    // A synchronous throw ends here (with `error` set); an answer arrives through asyncStart.
    end: (context: TracedContext) => {
      if (context.error !== undefined) statementDone(context);
    },
    asyncStart: statementDone,
    asyncEnd: () => undefined,
    error: () => undefined,
  };
  diagnosticsChannel.tracingChannel('mysql2:query').subscribe(statementHandlers as never);
  diagnosticsChannel.tracingChannel('mysql2:execute').subscribe(statementHandlers as never);
  diagnosticsChannel.tracingChannel('mysql2:connect').subscribe({
    start: connectStart,
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: () => undefined,
    error: connectError,
  } as never);
}

import { Logger } from '@nestjs/common';

const reported = new Set<string>();

/**
 * Logs a failure inside the database instrumentation once per `where`, and swallows it: the app's
 * statement goes on as if it were not measured.
 * @internal
 */
export function reportInstrumentationFailure(where: string, error: unknown): void {
  if (reported.has(where)) return;
  reported.add(where);
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  try {
    new Logger('PrometheusModule').error(`Database metrics: ${where} failed (logged once; the app is not affected): ${detail}`);
  } catch {
    // Logging must not fail the app either.
  }
}

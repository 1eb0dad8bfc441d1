/** Where the multi-process reader reports skipped files. @internal */
export interface WarnLogger {
  warn(message: string): void;
}

/** How often the same file is warned about, at most. */
const REPEAT_MS = 10 * 60 * 1000;
/** Files remembered; past that, new names are warned about without being remembered. */
const MAX_REMEMBERED = 1000;

/**
 * Warns about a skipped file once, then again at most every ten minutes (a bad file stays bad on
 * every scrape; the log must not fill with it).
 * @internal
 */
export class SkippedFileWarner {
  private readonly warnedAt = new Map<string, number>();

  constructor(private readonly logger: WarnLogger) {}

  warn(dir: string, name: string, reason: string): void {
    this.warnKeyed(
      `${name}\0${reason}`,
      `skipping ${JSON.stringify(name)} in multiprocessDir ${dir}: ${reason}. ` +
        'It is left out of the aggregate (counted in the skipped-files gauge); remove it, only nest-prometheus processes should write there',
    );
  }

  /** Logs `message` unless the same `key` was logged in the last ten minutes. */
  warnKeyed(key: string, message: string, now = Date.now()): void {
    const last = this.warnedAt.get(key);
    if (last !== undefined && now - last < REPEAT_MS) return;
    if (last !== undefined || this.warnedAt.size < MAX_REMEMBERED) this.warnedAt.set(key, now);
    this.logger.warn(message);
  }
}

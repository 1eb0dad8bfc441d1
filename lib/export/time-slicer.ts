import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Lets a long synchronous job give the event loop back every `sliceMs` milliseconds, so requests
 * keep being served while it runs: `if (slicer.due()) await slicer.pause();`. `due()` is cheap: it
 * reads the clock only every 64 calls.
 * @internal
 */
export class TimeSlicer {
  private calls = 0;
  private sliceStart = performance.now();

  constructor(private readonly sliceMs: number) {}

  /** Whether the current slice is used up. */
  due(): boolean {
    if ((++this.calls & 63) !== 0) return false;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  /** Waits one event-loop turn (pending I/O runs), then starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn();
    this.sliceStart = performance.now();
  }
}

/** Pieces joined into one chunk at a time, at most. */
const PIECES_PER_JOIN = 512;

/**
 * Collects a long text in small pieces and flattens them into one chunk whenever `flush()` is
 * called, so the final `toString()` joins a few large strings instead of hundreds of thousands of
 * small ones: the copying is spread over the slices of a rendering instead of one long stall.
 * @internal
 */
export class TextBuffer {
  private pieces: string[] = [];
  private readonly chunks: string[] = [];

  get isEmpty(): boolean {
    return this.pieces.length === 0 && this.chunks.length === 0;
  }

  push(piece: string): void {
    // Joined every few hundred pieces too, not only at the end of a time slice: joining a slice's
    // worth of small pieces at once took longer than the slice itself (about 7 ms for 8,000 pieces).
    if (this.pieces.push(piece) >= PIECES_PER_JOIN) this.flush();
  }

  /** Joins the pieces collected since the last flush into one chunk. */
  flush(): void {
    if (this.pieces.length === 0) return;
    this.chunks.push(this.pieces.join(''));
    this.pieces = [];
  }

  toString(): string {
    this.flush();
    return this.chunks.join('');
  }
}

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
    this.pieces.push(piece);
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

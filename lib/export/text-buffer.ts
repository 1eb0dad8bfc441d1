/** Characters of one chunk a rendering hands out (about 64 KB of mostly ASCII text). */
export const CHUNK_CHARS = 64 * 1024;

/**
 * Collects a long text in small pieces and joins them into chunks of about `chunkChars`
 * characters as they fill up: a rendering hands each full chunk on (to a socket, or to a final
 * join) instead of holding hundreds of thousands of small strings, and each join copies at most
 * one chunk, so the copying is spread over the slices of a rendering instead of one long stall.
 * @internal
 */
export class TextBuffer {
  private pieces: string[] = [];
  private pendingChars = 0;
  private ready: string[] = [];
  private written = false;

  constructor(private readonly chunkChars: number = CHUNK_CHARS) {}

  /** Whether nothing was pushed yet (chunks already taken count as pushed). */
  get isEmpty(): boolean {
    return !this.written;
  }

  /** Whether a full chunk waits to be taken. */
  get hasChunk(): boolean {
    return this.ready.length > 0;
  }

  push(piece: string): void {
    this.written = true;
    this.pieces.push(piece);
    this.pendingChars += piece.length;
    if (this.pendingChars >= this.chunkChars) this.flush();
  }

  /** Joins the pieces collected since the last flush into one chunk. */
  flush(): void {
    if (this.pieces.length === 0) return;
    this.ready.push(this.pieces.length === 1 ? (this.pieces[0] as string) : this.pieces.join(''));
    this.pieces = [];
    this.pendingChars = 0;
  }

  /** Hands out the full chunks and forgets them. */
  take(): string[] {
    const chunks = this.ready;
    this.ready = [];
    return chunks;
  }
}

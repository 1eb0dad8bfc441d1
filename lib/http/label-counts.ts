/** One label value's count; a cell, so that counting is a lookup and an increment, not a lookup and a store. */
interface Cell {
  n: number;
}

/**
 * Counts by one label's value (charset, template name, exception type). Most requests repeat the
 * previous request's value (one charset for a whole API), so the last value's cell is checked
 * first: the same string object, compared by reference, skips the map lookup entirely.
 * @internal
 */
export class LabelCounts {
  private readonly cells = new Map<string, Cell>();
  private lastKey: string | undefined = undefined;
  private lastCell: Cell = { n: 0 };

  add(key: string): void {
    if (key === this.lastKey) {
      this.lastCell.n++;
      return;
    }
    let cell = this.cells.get(key);
    if (cell === undefined) this.cells.set(key, (cell = { n: 0 }));
    cell.n++;
    this.lastKey = key;
    this.lastCell = cell;
  }

  /** Every value counted so far and its count, in first-seen order. */
  entries(): Array<[string, number]> {
    return Array.from(this.cells, ([key, cell]) => [key, cell.n]);
  }

  clear(): void {
    this.cells.clear();
    this.lastKey = undefined;
    this.lastCell = { n: 0 };
  }
}

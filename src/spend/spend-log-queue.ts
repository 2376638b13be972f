// SpendLogs rows waiting for the database, as a FIFO of blocks of at most `blockRows` rows each. A flush takes the
// oldest block whole (joined with the next ones while they fit), so a backlog (a database outage, a write thread behind a saturated core) costs nothing per
// flush. Before, one growing block was re-sliced at every flush: each flush copied the whole backlog, about 5% of a
// saturated event loop with a few thousand rows waiting.
import type { SpendEvent } from './spend-event.js';
import { appendEvent, emptyBlock, joinBlocks, sliceBlock, type SpendLogBlock } from './spend-log-block.js';

export class SpendLogQueue {
  /** Oldest first; only the last one is still being filled. */
  private readonly blocks: SpendLogBlock[] = [];
  /** Rows in all blocks. */
  rows = 0;

  constructor(private readonly blockRows: number) {
    if (!(Number.isInteger(blockRows) && blockRows > 0)) throw new RangeError(`blockRows must be a positive integer, got ${blockRows}`);
  }

  append(event: SpendEvent): void {
    let tail = this.blocks.at(-1);
    if (tail === undefined || tail.length >= this.blockRows) {
      tail = emptyBlock();
      this.blocks.push(tail);
    }
    appendEvent(tail, event);
    this.rows++;
  }

  /**
   * The oldest rows, at most `blockRows` of them, taken out of the queue as one block; null when the queue is empty.
   * Consecutive blocks that fit together are joined: a failed write puts its block back in front of the one filled
   * meanwhile, and without joining, each of those partial blocks would wait for a flush interval of its own.
   */
  take(): SpendLogBlock | null {
    const first = this.blocks.shift();
    if (first === undefined) return null;
    let rows = first.length;
    const taken = [first];
    while (this.blocks.length > 0 && rows + this.blocks[0]!.length <= this.blockRows) {
      const next = this.blocks.shift()!;
      taken.push(next);
      rows += next.length;
    }
    this.rows -= rows;
    return taken.length === 1 ? first : joinBlocks(taken);
  }

  /**
   * Puts a block that failed to write back in front, then drops the oldest rows beyond `maxRows` (the newest are
   * kept: they are the ones a reader of recent logs looks for). Returns how many rows were dropped.
   */
  putBack(block: SpendLogBlock, maxRows: number): number {
    if (block.length > 0) {
      this.blocks.unshift(block);
      this.rows += block.length;
    }
    let dropped = 0;
    while (this.rows > maxRows && this.blocks.length > 0) {
      const head = this.blocks[0]!;
      const excess = this.rows - maxRows;
      if (head.length <= excess) {
        this.blocks.shift();
        this.rows -= head.length;
        dropped += head.length;
      } else {
        this.blocks[0] = sliceBlock(head, excess, head.length);
        this.rows -= excess;
        dropped += excess;
      }
    }
    return dropped;
  }
}

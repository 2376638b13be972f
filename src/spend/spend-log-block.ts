// SpendLogs rows waiting for a flush, held column by column: one Float64Array for the numbers, one flat array for the
// strings, one for the tag lists. At 1,000 req/s a flush holds a few hundred rows long enough for them to be promoted
// to the old generation; as one object per row (28 fields, boxed doubles) they were what old-generation GC marked and
// what the hand-over to the write thread structured-cloned field by field (~3 µs per row, half of it on the event
// loop). As columns a row adds no object of its own, and the block crosses to the thread as three arrays, the
// numbers transferred without a copy.
import type { SpendEvent } from './spend-event.js';

/** Numeric fields, in the order they sit in a row's slice of `numbers`. NaN stands for null. */
const NUMBER_FIELDS = ['spend', 'promptTokens', 'completionTokens', 'totalTokens', 'cacheReadTokens', 'cacheCreationTokens', 'startTime', 'endTime', 'completionStartTime', 'success'] as const;
/** String fields (or null), in the order they sit in a row's slice of `strings`. */
const STRING_FIELDS = ['requestId', 'callType', 'apiKey', 'model', 'modelId', 'modelGroup', 'provider', 'apiBase', 'userId', 'teamId', 'endUser', 'endpoint', 'keyAlias'] as const;

/** Row `i`'s numbers start at `i * NUMBER_STRIDE`, its strings at `i * STRING_STRIDE`; fields in the order above. */
export const NUMBER_STRIDE = NUMBER_FIELDS.length;
export const STRING_STRIDE = STRING_FIELDS.length;

/** Plain data, so it survives a structured clone to the write thread unchanged. */
export interface SpendLogBlock {
  length: number;
  numbers: Float64Array;
  strings: Array<string | null>;
  tags: Array<readonly string[]>;
}

const INITIAL_ROWS = 64;

export function emptyBlock(): SpendLogBlock {
  return { length: 0, numbers: new Float64Array(INITIAL_ROWS * NUMBER_STRIDE), strings: [], tags: [] };
}

function reserve(block: SpendLogBlock, rows: number): void {
  const needed = rows * NUMBER_STRIDE;
  if (needed <= block.numbers.length) return;
  let capacity = block.numbers.length || INITIAL_ROWS * NUMBER_STRIDE;
  while (capacity < needed) capacity *= 2;
  const grown = new Float64Array(capacity);
  grown.set(block.numbers.subarray(0, block.length * NUMBER_STRIDE));
  block.numbers = grown;
}

export function appendEvent(block: SpendLogBlock, event: SpendEvent): void {
  reserve(block, block.length + 1);
  const n = block.length * NUMBER_STRIDE;
  const numbers = block.numbers;
  numbers[n] = event.spend;
  numbers[n + 1] = event.promptTokens;
  numbers[n + 2] = event.completionTokens;
  numbers[n + 3] = event.totalTokens;
  numbers[n + 4] = event.cacheReadTokens;
  numbers[n + 5] = event.cacheCreationTokens;
  numbers[n + 6] = event.startTime;
  numbers[n + 7] = event.endTime;
  numbers[n + 8] = event.completionStartTime ?? Number.NaN;
  numbers[n + 9] = event.success ? 1 : 0;
  block.strings.push(event.requestId, event.callType, event.apiKey, event.model, event.modelId, event.modelGroup, event.provider, event.apiBase, event.userId, event.teamId, event.endUser, event.endpoint, event.keyAlias);
  block.tags.push(event.tags);
  block.length++;
}

/** Row `index` as a SpendEvent (tests and diagnostics; the writer reads the columns directly). */
export function eventAt(block: SpendLogBlock, index: number): SpendEvent {
  const n = index * NUMBER_STRIDE;
  const s = index * STRING_STRIDE;
  const numbers = block.numbers;
  const strings = block.strings;
  const completionStart = numbers[n + 8]!;
  return {
    spend: numbers[n]!, promptTokens: numbers[n + 1]!, completionTokens: numbers[n + 2]!, totalTokens: numbers[n + 3]!, cacheReadTokens: numbers[n + 4]!,
    cacheCreationTokens: numbers[n + 5]!, startTime: numbers[n + 6]!, endTime: numbers[n + 7]!, completionStartTime: Number.isNaN(completionStart) ? null : completionStart,
    success: numbers[n + 9] === 1, requestId: strings[s]!, callType: strings[s + 1]!, apiKey: strings[s + 2]!, model: strings[s + 3]!, modelId: strings[s + 4]!,
    modelGroup: strings[s + 5]!, provider: strings[s + 6]!, apiBase: strings[s + 7]!, userId: strings[s + 8] ?? null, teamId: strings[s + 9] ?? null,
    endUser: strings[s + 10] ?? null, endpoint: strings[s + 11]!, keyAlias: strings[s + 12] ?? null, tags: block.tags[index]!,
  };
}

/** Rows [start, end) of `block`, as a block of their own. */
export function sliceBlock(block: SpendLogBlock, start: number, end: number): SpendLogBlock {
  const rows = Math.max(0, Math.min(end, block.length) - start);
  return {
    length: rows,
    numbers: block.numbers.slice(start * NUMBER_STRIDE, (start + rows) * NUMBER_STRIDE),
    strings: block.strings.slice(start * STRING_STRIDE, (start + rows) * STRING_STRIDE),
    tags: block.tags.slice(start, start + rows),
  };
}

/** The rows of `blocks`, in order, as one block (a copy). */
export function joinBlocks(blocks: readonly SpendLogBlock[]): SpendLogBlock {
  const joined = emptyBlock();
  const rows = blocks.reduce((sum, block) => sum + block.length, 0);
  reserve(joined, rows);
  for (const block of blocks) {
    joined.numbers.set(block.numbers.subarray(0, block.length * NUMBER_STRIDE), joined.length * NUMBER_STRIDE);
    for (let index = 0; index < block.length * STRING_STRIDE; index++) joined.strings.push(block.strings[index] ?? null);
    for (let index = 0; index < block.length; index++) joined.tags.push(block.tags[index]!);
    joined.length += block.length;
  }
  return joined;
}

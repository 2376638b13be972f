// SpendLogs rows waiting for a flush, held column by column: one Float64Array for the numbers, one array of request
// ids, one of tag lists, and the block's distinct "profiles": the twelve strings a row shares with the rows before it
// (key, user, team, end user, deployment, endpoint). At 1,000 req/s a flush holds a few hundred rows long enough for
// them to be promoted to the old generation; as one object per row (28 fields, boxed doubles) they were what
// old-generation GC marked and what the hand-over to the write thread structured-cloned field by field (~3 µs per
// row, half of it on the event loop). As columns a row adds no object of its own. With a slot per string field, the
// string column still grew by 13 slots (and its regrowth copies) per row, ~230 bytes promoted per request and a third
// of all that the gateway promoted under load; with profiles a row adds one request id and one tag-list slot, and the
// hand-over clones a profile once per block instead of thirteen strings per row. A request id of 36 ASCII characters
// (every call id Sluice makes: a UUID) is kept as bytes, not as its string (~60 bytes promoted per request).
import type { SpendEvent } from './spend-event.js';

/** Numeric fields, in the order they sit in a row's slice of `numbers`. NaN stands for null. */
const NUMBER_FIELDS = ['spend', 'promptTokens', 'completionTokens', 'totalTokens', 'cacheReadTokens', 'cacheCreationTokens', 'startTime', 'endTime', 'completionStartTime', 'success', 'profile'] as const;
/** Row `i`'s numbers start at `i * NUMBER_STRIDE`, in the order above. */
export const NUMBER_STRIDE = NUMBER_FIELDS.length;
/** Where a row's profile index sits in its slice of `numbers`. */
const PROFILE_FIELD = NUMBER_FIELDS.indexOf('profile');

/** The string fields a row shares with others, in the order they sit in a profile. */
const PROFILE_FIELDS = ['callType', 'apiKey', 'model', 'modelId', 'modelGroup', 'provider', 'apiBase', 'userId', 'teamId', 'endUser', 'endpoint', 'keyAlias'] as const;
export type SpendLogProfile = readonly [
  callType: string, apiKey: string, model: string, modelId: string, modelGroup: string, provider: string, apiBase: string,
  userId: string | null, teamId: string | null, endUser: string | null, endpoint: string, keyAlias: string | null,
];
/** Index of each profile field, for readers (spend-log-insert.ts). */
export const PROFILE = Object.fromEntries(PROFILE_FIELDS.map((field, index) => [field, index])) as { readonly [F in (typeof PROFILE_FIELDS)[number]]: number };

/** Bytes a request id kept as bytes takes (a UUID's text). */
const ID_BYTES = 36;

/** Plain data, so it survives a structured clone to the write thread unchanged. */
export interface SpendLogBlock {
  length: number;
  numbers: Float64Array;
  /** Row `i`'s request id as ASCII bytes at `i * ID_BYTES`, when its `requestIds` entry is null. */
  idBytes: Uint8Array;
  requestIds: Array<string | null>;
  profiles: SpendLogProfile[];
  tags: Array<readonly string[]>;
}

const INITIAL_ROWS = 64;
/** How many of the newest profiles a row is compared with before it gets one of its own (traffic from a few keys interleaves). */
const PROFILE_LOOKBACK = 4;

export function emptyBlock(): SpendLogBlock {
  return { length: 0, numbers: new Float64Array(INITIAL_ROWS * NUMBER_STRIDE), idBytes: new Uint8Array(INITIAL_ROWS * ID_BYTES), requestIds: [], profiles: [], tags: [] };
}

function reserve(block: SpendLogBlock, rows: number): void {
  const needed = rows * NUMBER_STRIDE;
  if (needed <= block.numbers.length) return;
  let capacity = block.numbers.length || INITIAL_ROWS * NUMBER_STRIDE;
  while (capacity < needed) capacity *= 2;
  const grown = new Float64Array(capacity);
  grown.set(block.numbers.subarray(0, block.length * NUMBER_STRIDE));
  block.numbers = grown;
  const ids = new Uint8Array((capacity / NUMBER_STRIDE) * ID_BYTES);
  ids.set(block.idBytes.subarray(0, block.length * ID_BYTES));
  block.idBytes = ids;
}

/** Writes `id` into row `row`'s id bytes when it is ID_BYTES ASCII characters; false otherwise (the row keeps its string). */
function packId(block: SpendLogBlock, row: number, id: string): boolean {
  if (id.length !== ID_BYTES) return false;
  const bytes = block.idBytes;
  const at = row * ID_BYTES;
  for (let index = 0; index < ID_BYTES; index++) {
    const code = id.charCodeAt(index);
    // Bytes already written stay unread: the row keeps its string instead.
    if (code > 0x7f) return false;
    bytes[at + index] = code;
  }
  return true;
}

/** Row `index`'s request id. */
export function requestIdAt(block: SpendLogBlock, index: number): string {
  const id = block.requestIds[index];
  if (id != null) return id;
  const bytes = block.idBytes;
  return Buffer.from(bytes.buffer, bytes.byteOffset + index * ID_BYTES, ID_BYTES).toString('latin1');
}

function sameProfile(profile: SpendLogProfile, event: SpendEvent): boolean {
  return profile[0] === event.callType && profile[1] === event.apiKey && profile[2] === event.model && profile[3] === event.modelId
    && profile[4] === event.modelGroup && profile[5] === event.provider && profile[6] === event.apiBase && profile[7] === event.userId
    && profile[8] === event.teamId && profile[9] === event.endUser && profile[10] === event.endpoint && profile[11] === event.keyAlias;
}

/** The index of `event`'s profile in `block`, added when none of the newest ones match. */
function profileOf(block: SpendLogBlock, event: SpendEvent): number {
  const profiles = block.profiles;
  const oldest = Math.max(0, profiles.length - PROFILE_LOOKBACK);
  for (let index = profiles.length - 1; index >= oldest; index--) if (sameProfile(profiles[index]!, event)) return index;
  profiles.push([event.callType, event.apiKey, event.model, event.modelId, event.modelGroup, event.provider, event.apiBase, event.userId, event.teamId, event.endUser, event.endpoint, event.keyAlias]);
  return profiles.length - 1;
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
  numbers[n + PROFILE_FIELD] = profileOf(block, event);
  block.requestIds.push(packId(block, block.length, event.requestId) ? null : event.requestId);
  block.tags.push(event.tags);
  block.length++;
}

/** Row `index`'s profile. */
export function profileAt(block: SpendLogBlock, index: number): SpendLogProfile {
  return block.profiles[block.numbers[index * NUMBER_STRIDE + PROFILE_FIELD]!]!;
}

/** Row `index` as a SpendEvent (tests and diagnostics; the writer reads the columns directly). */
export function eventAt(block: SpendLogBlock, index: number): SpendEvent {
  const n = index * NUMBER_STRIDE;
  const numbers = block.numbers;
  const profile = profileAt(block, index);
  const completionStart = numbers[n + 8]!;
  return {
    spend: numbers[n]!, promptTokens: numbers[n + 1]!, completionTokens: numbers[n + 2]!, totalTokens: numbers[n + 3]!, cacheReadTokens: numbers[n + 4]!,
    cacheCreationTokens: numbers[n + 5]!, startTime: numbers[n + 6]!, endTime: numbers[n + 7]!, completionStartTime: Number.isNaN(completionStart) ? null : completionStart,
    success: numbers[n + 9] === 1, requestId: requestIdAt(block, index), callType: profile[0], apiKey: profile[1], model: profile[2], modelId: profile[3],
    modelGroup: profile[4], provider: profile[5], apiBase: profile[6], userId: profile[7], teamId: profile[8], endUser: profile[9], endpoint: profile[10],
    keyAlias: profile[11], tags: block.tags[index]!,
  };
}

/** Rows [start, end) of `block`, as a block of their own (sharing its profiles, so the indices stay valid). */
export function sliceBlock(block: SpendLogBlock, start: number, end: number): SpendLogBlock {
  const rows = Math.max(0, Math.min(end, block.length) - start);
  return {
    length: rows,
    numbers: block.numbers.slice(start * NUMBER_STRIDE, (start + rows) * NUMBER_STRIDE),
    idBytes: block.idBytes.slice(start * ID_BYTES, (start + rows) * ID_BYTES),
    requestIds: block.requestIds.slice(start, start + rows),
    profiles: block.profiles.slice(),
    tags: block.tags.slice(start, start + rows),
  };
}

/** The rows of `blocks`, in order, as one block (a copy; each block's profile indices shifted past the ones before). */
export function joinBlocks(blocks: readonly SpendLogBlock[]): SpendLogBlock {
  const joined = emptyBlock();
  const rows = blocks.reduce((sum, block) => sum + block.length, 0);
  reserve(joined, rows);
  for (const block of blocks) {
    const offset = joined.profiles.length;
    const at = joined.length * NUMBER_STRIDE;
    joined.numbers.set(block.numbers.subarray(0, block.length * NUMBER_STRIDE), at);
    joined.idBytes.set(block.idBytes.subarray(0, block.length * ID_BYTES), joined.length * ID_BYTES);
    for (let row = 0; row < block.length; row++) joined.numbers[at + row * NUMBER_STRIDE + PROFILE_FIELD]! += offset;
    for (const profile of block.profiles) joined.profiles.push(profile);
    for (let index = 0; index < block.length; index++) {
      joined.requestIds.push(block.requestIds[index] ?? null);
      joined.tags.push(block.tags[index]!);
    }
    joined.length += block.length;
  }
  return joined;
}

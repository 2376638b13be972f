// Batch work done a few events per event-loop turn, so a 100-event (or 512-span) flush never stalls requests for milliseconds.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Events handled per event-loop turn when building, encoding or recording a batch. */
export const EVENTS_PER_TURN = 8;

/** Lets pending I/O (requests in flight) run before the next slice of batch work. */
export function yieldTurn(): Promise<void> {
  return nextTurn();
}

/** The framing of an encoded batch: `open` item `separator` item … `close`. */
export interface BatchFraming {
  readonly open: string;
  readonly separator: string;
  readonly close: string;
}

export const JSON_ARRAY: BatchFraming = { open: '[', separator: ',', close: ']' };
export const NDJSON: BatchFraming = { open: '', separator: '\n', close: '\n' };

/** One body (a copy) of already encoded items, a pre-encoding callback's batch: no slicing needed for a memcpy. */
export function joinEncoded(items: readonly Uint8Array[], framing: BatchFraming): Buffer {
  const separator = Buffer.from(framing.separator);
  const parts: Uint8Array[] = [Buffer.from(framing.open)];
  for (let index = 0; index < items.length; index++) {
    if (index > 0) parts.push(separator);
    parts.push(items[index]!);
  }
  parts.push(Buffer.from(framing.close));
  return Buffer.concat(parts);
}

/**
 * Encodes `items` one by one (`encode` returns one item's text) into one UTF-8 body, EVENTS_PER_TURN items per turn.
 * Each slice becomes a small Buffer as it is made: one big string would be flattened and UTF-8-encoded in one turn.
 */
export async function encodeInSlices<T>(items: readonly T[], encode: (item: T) => string, framing: BatchFraming): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for (let start = 0; start < items.length; start += EVENTS_PER_TURN) {
    if (start > 0) await yieldTurn();
    const end = Math.min(items.length, start + EVENTS_PER_TURN);
    const parts: string[] = [];
    for (let index = start; index < end; index++) parts.push(encode(items[index]!));
    chunks.push(Buffer.from(`${start === 0 ? framing.open : framing.separator}${parts.join(framing.separator)}`));
  }
  if (chunks.length === 0) chunks.push(Buffer.from(framing.open));
  chunks.push(Buffer.from(framing.close));
  return Buffer.concat(chunks);
}

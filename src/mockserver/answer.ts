// The mock's deterministic answer text, token estimates and chunking, shared by every wire format.

const FILLER =
  ' This reply comes from the Sluice mock server.' +
  ' It is deterministic, so tests can compare it exactly.' +
  ' The text is long enough to arrive in several streamed chunks.';

/** "Mock response to: <first 40 chars>." padded to a few sentences. */
export function answerText(lastUserText: string): string {
  return `Mock response to: ${lastUserText.slice(0, 40)}.${FILLER}`;
}

/** Token estimate used everywhere: ceil(chars / 4). */
export function tokensOf(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Splits `text` into at most `n` near-equal, non-empty pieces (one empty piece for empty text). */
export function splitText(text: string, n: number): string[] {
  const count = Math.max(1, Math.min(n, text.length));
  const out = new Array<string>(count);
  const size = text.length / count;
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = i === count - 1 ? text.length : Math.round(size * (i + 1));
    out[i] = text.slice(start, end);
    start = end;
  }
  return out;
}

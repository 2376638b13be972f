// A number as text for a response header, without V8's number-to-string cache.
//
// String(n) stores its result in a heap-wide cache: the strings of values that change with every request (a key's
// spend, a request's cost, the tokens left) were held there past two young-generation GCs and promoted, 40–70 bytes
// of old-generation garbage per request. JSON.stringify formats the same text (for finite numbers it uses the same
// shortest round-trip algorithm) without touching that cache, at the same speed.

export function numberText(value: number): string {
  return Number.isFinite(value) ? JSON.stringify(value) : String(value);
}

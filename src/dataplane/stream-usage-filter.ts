// When the client streamed without asking for usage, Sluice asks the provider for it (to price the request)
// and removes that final usage event from what the client receives.
import type { Deployment } from '../config/deployment.js';
import { isJsonObject, type JsonObject } from '../core/json.js';

const EVENT_END = Buffer.from('\n\n');
const EMPTY_CHOICES = Buffer.from('"choices":[]');
const USAGE_OBJECT = Buffer.from('"usage":{');
const NOTHING = Buffer.alloc(0);

/** Sets `stream_options.include_usage` on an OpenAI-style streaming body; true when Sluice added it (so must strip it). */
export function requestStreamUsage(body: JsonObject, deployment: Deployment): boolean {
  const options = body.stream_options;
  if (isJsonObject(options) && options.include_usage === true) return false;
  if (deployment.unsupportedParams.includes('stream_options')) return false;
  body.stream_options = isJsonObject(options) ? { ...options, include_usage: true } : { include_usage: true };
  return true;
}

/** Passes SSE bytes through, holding back only an incomplete trailing event, and drops the usage-only event. */
export class StreamUsageFilter {
  private carry: Buffer | null = null;

  push(chunk: Buffer): Buffer {
    const data = this.carry === null ? chunk : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    // Only complete events go out: a partial one waits for the rest (its usage marker may straddle the chunks).
    const last = data.lastIndexOf(EVENT_END);
    if (last === -1) {
      this.carry = Buffer.from(data);
      return NOTHING;
    }
    const complete = last + 2;
    if (complete < data.length) this.carry = Buffer.from(data.subarray(complete));
    let usageAt = data.indexOf(USAGE_OBJECT);
    if (usageAt === -1 || usageAt >= complete) return complete === data.length ? data : data.subarray(0, complete);
    // Instead of cutting every event out of the chunk (three native searches each: ~50 for a mock stream that arrives
    // in one chunk), only the events holding a usage object are looked at, and the bytes between them pass as they are.
    const kept: Buffer[] = [];
    let from = 0;
    while (usageAt !== -1 && usageAt < complete) {
      const before = data.lastIndexOf(EVENT_END, usageAt);
      const start = before === -1 ? 0 : before + 2;
      const end = data.indexOf(EVENT_END, usageAt) + 2;
      const choices = data.indexOf(EMPTY_CHOICES, start);
      if (choices !== -1 && choices < end) {
        if (start > from) kept.push(data.subarray(from, start));
        from = end;
      }
      usageAt = data.indexOf(USAGE_OBJECT, end);
    }
    if (complete > from) kept.push(data.subarray(from, complete));
    return kept.length === 0 ? NOTHING : kept.length === 1 ? kept[0]! : Buffer.concat(kept);
  }

  /** Whatever is left when the stream ends (an unterminated last event). */
  flush(): Buffer | null {
    const rest = this.carry;
    this.carry = null;
    return rest;
  }
}

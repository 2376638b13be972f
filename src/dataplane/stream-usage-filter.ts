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
    if (data.indexOf(USAGE_OBJECT) === -1) return this.splitTail(data);
    const kept: Buffer[] = [];
    let start = 0;
    for (;;) {
      const end = data.indexOf(EVENT_END, start);
      if (end === -1) break;
      const event = data.subarray(start, end + 2);
      if (!(event.indexOf(EMPTY_CHOICES) !== -1 && event.indexOf(USAGE_OBJECT) !== -1)) kept.push(event);
      start = end + 2;
    }
    if (start < data.length) this.carry = Buffer.from(data.subarray(start));
    return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
  }

  /** No usage here: send all complete events now, keep a partial one in case the usage marker straddles chunks. */
  private splitTail(data: Buffer): Buffer {
    const last = data.lastIndexOf(EVENT_END);
    if (last === data.length - 2) return data;
    if (last === -1) {
      this.carry = Buffer.from(data);
      return NOTHING;
    }
    this.carry = Buffer.from(data.subarray(last + 2));
    return data.subarray(0, last + 2);
  }

  /** Whatever is left when the stream ends (an unterminated last event). */
  flush(): Buffer | null {
    const rest = this.carry;
    this.carry = null;
    return rest;
  }
}

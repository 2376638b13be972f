// Plays a provider's stream frames to the client, honouring chunk_delay, drop_after and error_after.
import { dropConnection } from './send.js';
import type { MockContext } from './types.js';

export type Frame = string | Uint8Array;

/** A whole streamed reply, built up front; only `content` frames count as chunks for scenarios. */
export interface StreamPlan {
  contentType: string;
  head: Frame[];
  content: Frame[];
  tail: Frame[];
  /** The provider's in-stream error, sent after `sent` content frames when error_after is set. */
  errorFrame(sent: number): Frame;
}

export function runStream(ctx: MockContext, plan: StreamPlan): void {
  const { res, scenario } = ctx;
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': plan.contentType, 'cache-control': 'no-cache', connection: 'keep-alive' });
  if (ctx.chunkDelayMs <= 0 && scenario.dropAfter === undefined && scenario.errorAfter === undefined) {
    res.end(joinFrames(plan));
    return;
  }
  new StreamRun(ctx, plan).start();
}

/** Fast path: the whole stream in one write. */
function joinFrames(plan: StreamPlan): Frame {
  const frames = [...plan.head, ...plan.content, ...plan.tail];
  if (frames.every((f) => typeof f === 'string')) return frames.join('');
  return Buffer.concat(frames.map((f) => (typeof f === 'string' ? Buffer.from(f) : f)));
}

/** State of one slow or faulty stream; the bound `tick` is the only timer callback. */
class StreamRun {
  private readonly ctx: MockContext;
  private readonly plan: StreamPlan;
  private readonly dropAfter: number | undefined;
  private readonly errorAfter: number | undefined;
  private readonly delay: number;
  private index: number;
  private readonly tick: () => void;

  constructor(ctx: MockContext, plan: StreamPlan) {
    this.ctx = ctx;
    this.plan = plan;
    this.dropAfter = ctx.scenario.dropAfter;
    this.errorAfter = ctx.scenario.errorAfter;
    this.delay = ctx.chunkDelayMs;
    this.index = 0;
    this.tick = () => this.writeContent(true);
  }

  start(): void {
    for (const frame of this.plan.head) this.ctx.res.write(frame);
    this.writeContent(false);
  }

  /** Writes content frames until a delay is due or the content (or a scenario) ends it. */
  private writeContent(waited: boolean): void {
    const { res } = this.ctx;
    if (res.destroyed) return;
    const content = this.plan.content;
    while (this.index < content.length) {
      if (this.index === this.dropAfter || this.index === this.errorAfter) break;
      if (this.index > 0 && this.delay > 0 && !waited) {
        setTimeout(this.tick, this.delay);
        return;
      }
      waited = false;
      res.write(content[this.index++]);
    }
    this.finish();
  }

  private finish(): void {
    const { res } = this.ctx;
    if (this.dropAfter !== undefined && this.index >= Math.min(this.dropAfter, this.plan.content.length)) {
      dropConnection(res);
      return;
    }
    if (this.errorAfter !== undefined) {
      res.end(this.plan.errorFrame(this.index));
      return;
    }
    for (const frame of this.plan.tail) res.write(frame);
    res.end();
  }
}

// Counts requests per path and keeps the last few, so tests can assert what a gateway sent upstream.
import type { MockStats, RecordedRequest } from './types.js';

const KEEP = 50;

export class RequestLog {
  private total = 0;
  private readonly byPath = new Map<string, number>();
  /** Ring buffer of the last KEEP requests; `next` is where the following one goes. */
  private readonly ring: RecordedRequest[] = [];
  private next = 0;

  count(path: string): void {
    this.total++;
    this.byPath.set(path, (this.byPath.get(path) ?? 0) + 1);
  }

  record(entry: RecordedRequest): void {
    if (this.ring.length < KEEP) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % KEEP;
  }

  stats(): MockStats {
    return { requests: this.total, byPath: Object.fromEntries(this.byPath) };
  }

  last(): RecordedRequest | undefined {
    return this.ring.length === 0 ? undefined : this.ring[(this.next + KEEP - 1) % KEEP];
  }

  /** Oldest first. */
  all(): RecordedRequest[] {
    if (this.ring.length < KEEP) return this.ring.slice();
    return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }

  reset(): void {
    this.total = 0;
    this.byPath.clear();
    this.ring.length = 0;
    this.next = 0;
  }
}

// Per-entity request/token counters over a fixed one-minute window, plus requests in flight: all plain fields.

export const WINDOW_MS = 60_000;

export class UsageWindow {
  windowStart = 0;
  requests = 0;
  tokens = 0;
  inFlight = 0;

  /** Starts a new window when the current one is over. */
  roll(now: number): void {
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now - (now % WINDOW_MS);
      this.requests = 0;
      this.tokens = 0;
    }
  }

  resetsAt(): number {
    return this.windowStart + WINDOW_MS;
  }
}

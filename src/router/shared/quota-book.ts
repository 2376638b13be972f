// The authority for shared routing state when Redis is absent: the cluster primary keeps it in memory.

/** What a worker sends each sync tick: its deltas since the last tick and the cooldowns it started. */
export interface SyncReport {
  minute: number;
  tokens: Record<string, number>;
  inFlight: Record<string, number>;
  cooldowns: Record<string, number>;
  /** Latency samples since the last tick: [sum ms, count]. */
  latency: Record<string, [number, number]>;
}

/** Totals over every worker/instance for the current minute, plus cooldown deadlines (`Date.now()` ms). */
export interface SharedView {
  minute: number;
  tokens: Record<string, number>;
  inFlight: Record<string, number>;
  cooldowns: Record<string, number>;
  /** Average latency (ms) over this minute and the last, across every worker/instance. */
  latency: Record<string, number>;
}

export class QuotaBook {
  private minute = 0;
  private requests = new Map<string, number>();
  private tokens = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly cooldowns = new Map<string, number>();
  /** [sum, count] for the current and the previous minute. */
  private latency = new Map<string, [number, number]>();
  private previousLatency = new Map<string, [number, number]>();

  private roll(minute: number): void {
    if (minute <= this.minute) return;
    this.minute = minute;
    this.requests = new Map();
    this.tokens = new Map();
    this.previousLatency = this.latency;
    this.latency = new Map();
  }

  /** Grants up to `want` requests of `id`'s per-minute `limit`; what is granted counts as used. */
  lease(id: string, minute: number, want: number, limit: number): number {
    this.roll(minute);
    if (minute < this.minute) return 0;
    const used = this.requests.get(id) ?? 0;
    const granted = Math.max(0, Math.min(want, limit - used));
    this.requests.set(id, used + granted);
    return granted;
  }

  apply(report: SyncReport): SharedView {
    this.roll(report.minute);
    if (report.minute === this.minute) for (const id in report.tokens) this.tokens.set(id, (this.tokens.get(id) ?? 0) + report.tokens[id]!);
    for (const id in report.inFlight) this.inFlight.set(id, Math.max(0, (this.inFlight.get(id) ?? 0) + report.inFlight[id]!));
    for (const id in report.latency) {
      const entry = this.latency.get(id) ?? [0, 0];
      entry[0] += report.latency[id]![0];
      entry[1] += report.latency[id]![1];
      this.latency.set(id, entry);
    }
    for (const id in report.cooldowns) this.cooldowns.set(id, Math.max(this.cooldowns.get(id) ?? 0, report.cooldowns[id]!));
    return this.view();
  }

  view(): SharedView {
    const now = Date.now();
    for (const [id, until] of this.cooldowns) if (until <= now) this.cooldowns.delete(id);
    const latency: Record<string, number> = {};
    for (const id of new Set([...this.latency.keys(), ...this.previousLatency.keys()])) {
      const current = this.latency.get(id) ?? [0, 0];
      const previous = this.previousLatency.get(id) ?? [0, 0];
      const count = current[1] + previous[1];
      if (count > 0) latency[id] = (current[0] + previous[0]) / count;
    }
    return { minute: this.minute, tokens: Object.fromEntries(this.tokens), inFlight: Object.fromEntries(this.inFlight), cooldowns: Object.fromEntries(this.cooldowns), latency };
  }
}

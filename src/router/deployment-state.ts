// Live facts about one deployment (in flight, per-minute usage, latency, failures, cooldown) that routing reads.

/** Rolling latency window size: LiteLLM's latency strategy also keeps the last few samples. */
const LATENCY_SAMPLES = 10;

/** Minute number since the epoch: usage and failure counters reset when it changes. */
export function currentMinute(nowMs: number): number {
  return Math.floor(nowMs / 60_000);
}

export class DeploymentState {
  readonly id: string;
  inFlight = 0;
  minute = 0;
  requestsThisMinute = 0;
  tokensThisMinute = 0;
  failuresThisMinute = 0;
  /** The previous minute's attempts and failures (0 when it saw none), so the Models screen's error rate spans 1–2 minutes. */
  requestsLastMinute = 0;
  failuresLastMinute = 0;
  /** Failures this minute per error class, for `allowed_fails_policy`. */
  readonly classFailures = new Map<string, number>();
  /** `Date.now()` until which the deployment is out of every pick; 0 when not cooling. */
  cooldownUntil = 0;
  /** Rolling latency (ms per request, or time to first token for streams). */
  private readonly samples = new Float64Array(LATENCY_SAMPLES);
  private sampleCount = 0;
  private sampleNext = 0;
  averageLatencyMs = 0;
  /** Average latency over every worker/instance (last two minutes) from the shared sync; -1 when unknown. */
  sharedLatencyMs = -1;
  /** Latency samples not yet reported to the shared state. */
  pendingLatencySum = 0;
  pendingLatencyCount = 0;
  /** Usage reported by other workers/instances for this minute (added to the local counts). */
  remoteRequests = 0;
  remoteTokens = 0;
  /** In flight on other workers/instances (from the last shared sync). */
  remoteInFlight = 0;
  /** Shared mode: rpm is spent from quota leased from the primary or Redis, never counted locally. */
  leaseMode = false;
  leaseMinute = 0;
  leaseLeft = 0;
  leasePending = false;
  /** Shared mode bookkeeping: tokens not yet reported, tokens reported this minute, in-flight as last reported. */
  pendingTokens = 0;
  flushedTokens = 0;
  reportedInFlight = 0;

  constructor(id: string) {
    this.id = id;
  }

  /** Resets the per-minute counters when the minute has changed. */
  roll(minute: number): void {
    if (minute === this.minute) return;
    const consecutive = minute === this.minute + 1;
    this.requestsLastMinute = consecutive ? this.requestsThisMinute : 0;
    this.failuresLastMinute = consecutive ? this.failuresThisMinute : 0;
    this.minute = minute;
    this.requestsThisMinute = 0;
    this.tokensThisMinute = 0;
    this.failuresThisMinute = 0;
    this.remoteRequests = 0;
    this.remoteTokens = 0;
    this.flushedTokens = 0;
    this.classFailures.clear();
  }

  /** Whether one more request fits this minute's `rpm` (leased quota in shared mode; call after roll()). */
  rpmAvailable(rpm: number): boolean {
    if (rpm === Infinity) return true;
    if (this.leaseMode) return this.leaseMinute === this.minute && this.leaseLeft > 0;
    return this.requestsUsed() < rpm;
  }

  busy(): number {
    return this.inFlight + this.remoteInFlight;
  }

  requestsUsed(): number {
    return this.requestsThisMinute + this.remoteRequests;
  }

  tokensUsed(): number {
    return this.tokensThisMinute + this.remoteTokens;
  }

  recordLatency(ms: number): void {
    this.samples[this.sampleNext] = ms;
    this.sampleNext = (this.sampleNext + 1) % LATENCY_SAMPLES;
    if (this.sampleCount < LATENCY_SAMPLES) this.sampleCount++;
    let sum = 0;
    for (let index = 0; index < this.sampleCount; index++) sum += this.samples[index]!;
    this.averageLatencyMs = sum / this.sampleCount;
  }

  /** The rolling window's samples, oldest first (for the Models screen's p50; not on the request path). */
  latencySamples(): number[] {
    const out: number[] = [];
    const start = this.sampleCount < LATENCY_SAMPLES ? 0 : this.sampleNext;
    for (let index = 0; index < this.sampleCount; index++) out.push(this.samples[(start + index) % LATENCY_SAMPLES]!);
    return out;
  }

  get hasLatency(): boolean {
    return this.sampleCount > 0 || this.sharedLatencyMs >= 0;
  }

  /** The latency routing compares: the shared average when there is one, else this process's window. */
  latencyMs(): number {
    return this.sharedLatencyMs >= 0 ? this.sharedLatencyMs : this.averageLatencyMs;
  }
}

/** One state object per deployment id, shared by every group (aliases, fallbacks) that contains it. */
export class DeploymentStates {
  private readonly byId = new Map<string, DeploymentState>();

  get(id: string): DeploymentState {
    let state = this.byId.get(id);
    if (state === undefined) {
      state = new DeploymentState(id);
      this.byId.set(id, state);
    }
    return state;
  }

  all(): IterableIterator<DeploymentState> {
    return this.byId.values();
  }

  /** Whether this very state object is still the one kept for its id. */
  holds(state: DeploymentState): boolean {
    return this.byId.get(state.id) === state;
  }

  get size(): number {
    return this.byId.size;
  }

  /**
   * Forgets the states of deployments not in `keep` (wildcard deployments, ones a reload removed) that are idle:
   * nothing in flight, not cooling down. Without this, every distinct model name a wildcard ever served would keep
   * its state for the life of the process. Returns how many were dropped.
   */
  retainOnly(keep: ReadonlySet<string>, now: number): number {
    let dropped = 0;
    for (const [id, state] of this.byId) {
      if (keep.has(id) || state.inFlight > 0 || state.cooldownUntil > now) continue;
      this.byId.delete(id);
      dropped++;
    }
    return dropped;
  }
}

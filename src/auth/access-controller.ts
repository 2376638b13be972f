// Authenticates a request's key from memory: the master key, or a virtual key (not expired, not blocked).
import { GatewayError, authError } from '../core/errors.js';
import type { AccessControl, AccessGrant } from '../dataplane/access-control.js';
import { SecretMatcher } from './api-key.js';
import { KeyEntity } from './entities.js';
import type { GovernanceState } from './governance-state.js';
import { KeyGrant, type BudgetResetSink } from './key-grant.js';
import { PendingGrant } from './pending-grant.js';
import { hashKey } from './key-hash.js';
import type { RedisLimiter } from '../limits/redis-limiter.js';

const TOKEN_MEMO_MAX = 200_000;
const NO_KEY = 'Authentication Error, No api key passed in.';
const UNKNOWN_KEY = 'Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`';

export interface AccessControllerOptions {
  masterKey: string | null;
  globalMaxBudget: number | null;
  /** Shared counters across workers and instances; null counts per process. */
  limiter?: RedisLimiter | null;
}

export class AccessController implements AccessControl {
  private readonly state: GovernanceState;
  private readonly master: SecretMatcher | null;
  private readonly masterEntity: KeyEntity | null;
  private readonly anonymous = new KeyEntity('');
  private readonly tokens = new Map<string, string>();
  private readonly globalMaxBudget: number | null;
  private readonly resets: BudgetResetSink;
  private readonly limiter: RedisLimiter | null;

  constructor(state: GovernanceState, options: AccessControllerOptions, resets: BudgetResetSink) {
    this.state = state;
    this.master = options.masterKey === null ? null : new SecretMatcher(options.masterKey);
    this.masterEntity = options.masterKey === null ? null : new KeyEntity(hashKey(options.masterKey));
    if (this.masterEntity !== null) this.masterEntity.isMaster = true;
    this.globalMaxBudget = options.globalMaxBudget;
    this.resets = resets;
    this.limiter = options.limiter ?? null;
    this.anonymous.isMaster = true;
  }

  authenticate(rawKey: string | null): AccessGrant | GatewayError {
    // No master key: the data plane is open (CONTRACT.md); requests are still priced and logged, under no key.
    if (this.master === null) return new KeyGrant(this.anonymous, this.state, this.globalMaxBudget, this.resets, this.limiter);
    if (rawKey === null) return authError(NO_KEY);
    if (this.master !== null && this.master.matches(rawKey)) return new KeyGrant(this.masterEntity!, this.state, this.globalMaxBudget, this.resets, this.limiter);
    const token = this.tokenOf(rawKey);
    const key = this.state.keys.get(token);
    if (key === undefined) {
      if (this.state.isKnownMissing(token, Date.now())) return authError(UNKNOWN_KEY);
      return new PendingGrant(this.state.lookUp(token), this.decide);
    }
    return this.decide(key);
  }

  /** Expiry and blocking, then the grant; an arrow so PendingGrant can call it later without a per-request closure. */
  private readonly decide = (key: KeyEntity | null): KeyGrant | GatewayError => {
    if (key === null) return authError(UNKNOWN_KEY);
    const now = Date.now();
    if (now >= key.expiresAt) {
      return new GatewayError({ reason: 'expired_key', status: 401, message: `Authentication Error - Expired Key. Key Expiry time ${new Date(key.expiresAt).toISOString()} and current time ${new Date(now).toISOString()}` });
    }
    if (key.blocked) return new GatewayError({ reason: 'key_blocked', status: 401, message: "Authentication Error, Key is blocked. Update via `/key/unblock` if you're admin." });
    return new KeyGrant(key, this.state, this.globalMaxBudget, this.resets, this.limiter);
  };

  /** SHA-256 costs ~1 µs; active keys are few, so their hashes are remembered (bounded, wiped when full). */
  private tokenOf(rawKey: string): string {
    let token = this.tokens.get(rawKey);
    if (token === undefined) {
      token = hashKey(rawKey);
      if (this.tokens.size >= TOKEN_MEMO_MAX) this.tokens.clear();
      this.tokens.set(rawKey, token);
    }
    return token;
  }

  databaseStatus(): string {
    return this.state.connected ? 'connected' : 'Not connected';
  }
}

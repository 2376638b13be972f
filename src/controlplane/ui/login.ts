// Decides who a login form names: the master key, UI_USERNAME/UI_PASSWORD, or a virtual key (admin if its user is proxy_admin).
import { createHash, timingSafeEqual } from 'node:crypto';
import { SecretMatcher } from '../../auth/api-key.js';
import type { GovernanceState } from '../../auth/governance-state.js';
import { hashKey } from '../../auth/key-hash.js';
import type { SessionRole } from './session-token.js';

export interface LoginResult {
  readonly role: SessionRole;
  readonly subject: string;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Equal-length digests, so neither the length nor the bytes of the secret leak through timing. */
function sameSecret(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}

export class LoginChecker {
  private readonly master: SecretMatcher;
  private readonly username: string;
  private readonly password: string;
  private readonly state: GovernanceState;

  /** LiteLLM's defaults: username `admin`, password the master key, unless UI_USERNAME / UI_PASSWORD are set. */
  constructor(masterKey: string, env: NodeJS.ProcessEnv, state: GovernanceState) {
    this.master = new SecretMatcher(masterKey);
    this.username = env.UI_USERNAME !== undefined && env.UI_USERNAME !== '' ? env.UI_USERNAME : 'admin';
    this.password = env.UI_PASSWORD !== undefined && env.UI_PASSWORD !== '' ? env.UI_PASSWORD : masterKey;
    this.state = state;
  }

  /** The session to issue, or a message saying why not. */
  check(fields: { username?: unknown; password?: unknown; api_key?: unknown }, now = Date.now()): LoginResult | string {
    const { username, password } = fields;
    if (typeof username === 'string' && username !== '' && typeof password === 'string') {
      const userOk = sameSecret(username, this.username);
      const passOk = sameSecret(password, this.password);
      return userOk && passOk ? { role: 'admin', subject: username } : 'Invalid username or password.';
    }
    const apiKey = typeof fields.api_key === 'string' ? fields.api_key.trim() : '';
    if (apiKey === '') return 'Enter a username and password, or a key.';
    if (this.master.matches(apiKey)) return { role: 'admin', subject: 'master' };
    const token = hashKey(apiKey);
    const key = this.state.keys.get(token);
    if (key === undefined) return 'Invalid key.';
    if (key.blocked) return 'This key is blocked.';
    if (key.expiresAt <= now) return 'This key has expired.';
    const user = key.userId === null ? undefined : this.state.users.get(key.userId);
    return { role: user?.role === 'proxy_admin' ? 'admin' : 'key', subject: token };
  }
}

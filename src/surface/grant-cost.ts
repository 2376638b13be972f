// Hands a surface call's own cost (per image, per audio second, per rerank unit) to the key's grant, so spend,
// budgets and the spend log count it instead of a token cost the call does not have.
import { KeyGrant } from '../auth/key-grant.js';
import { PendingGrant } from '../auth/pending-grant.js';
import type { AccessGrant } from '../dataplane/access-control.js';

export function applySurfaceCost(grant: AccessGrant, cost: number): void {
  const inner = grant instanceof PendingGrant ? grant.inner : grant;
  if (inner instanceof KeyGrant) inner.cost = cost;
}

// The RequestObserver that closes a request's accounting: releases its limits, prices it, queues its spend.
import { KeyGrant } from '../auth/key-grant.js';
import { PendingGrant } from '../auth/pending-grant.js';
import type { Entity } from '../auth/entities.js';
import type { ModelBudgetSync } from '../limits/model-budget-sync.js';
import type { ModelSpendWindow } from '../limits/model-budget.js';
import type { RequestObserver, RequestOutcome } from '../dataplane/request-outcome.js';
import type { SpendBatchWriter } from './batch-writer.js';
import { requestCost } from './cost.js';
import { SURFACE_CALL_TYPES, SURFACE_ENDPOINT_PATHS } from '../surface/call-types.js';

function release(entity: Entity | null, tokens: number, cost: number): void {
  if (entity === null) return;
  const usage = entity.usage;
  if (usage.inFlight > 0) usage.inFlight--;
  usage.tokens += tokens;
  entity.spend += cost;
  entity.unflushedSpend += cost;
}

/** `model_max_budget`: charged after the response, as LiteLLM's success hook does; shared on the next sync tick. */
function charge(window: ModelSpendWindow | null, cost: number, now: number, sync: ModelBudgetSync | null): void {
  if (window === null || cost <= 0) return;
  window.charge(cost, now);
  sync?.charged(window);
}

const NO_TAGS: readonly string[] = Object.freeze([]);

/** The key's tags; one shared empty list when it has none (most keys), so a queued event holds no array of its own. */
function tagsOf(metadata: unknown): readonly string[] {
  const tags = metadata !== null && typeof metadata === 'object' ? (metadata as { tags?: unknown }).tags : undefined;
  if (!Array.isArray(tags) || tags.length === 0) return NO_TAGS;
  return tags.filter((tag): tag is string => typeof tag === 'string');
}

export class SpendRecorder implements RequestObserver {
  private readonly writer: SpendBatchWriter;
  /** `performance.now()` → wall clock, fixed at start-up. */
  private readonly epochOffset: number;

  constructor(writer: SpendBatchWriter) {
    this.writer = writer;
    this.epochOffset = Date.now() - performance.now();
  }

  onRequestFinished(outcome: RequestOutcome): void {
    const grant = outcome.grant instanceof PendingGrant ? outcome.grant.inner : outcome.grant;
    if (!(grant instanceof KeyGrant) || !grant.admitted) return;
    const usage = outcome.usage;
    const success = outcome.status > 0 && outcome.status < 400;
    const cost = success ? (grant.cost >= 0 ? grant.cost : requestCost(outcome.deployment, usage)) : 0;
    const tokens = usage === null ? 0 : usage.totalTokens;
    release(grant.key, tokens, cost);
    release(grant.team, tokens, cost);
    release(grant.user, tokens, cost);
    release(grant.endUser, tokens, cost);
    release(grant.member, tokens, cost);
    if (cost > 0 && (grant.keyModelSpend !== null || grant.teamModelSpend !== null || grant.userModelSpend !== null || grant.endUserModelSpend !== null)) {
      const now = Date.now();
      const sync = grant.state.modelBudgetSync;
      charge(grant.keyModelSpend, cost, now, sync);
      charge(grant.teamModelSpend, cost, now, sync);
      charge(grant.userModelSpend, cost, now, sync);
      charge(grant.endUserModelSpend, cost, now, sync);
    }
    if (grant.reservation !== null) grant.limiter?.release(grant.reservation, tokens);
    if (grant.modelWindow !== null) {
      if (grant.modelWindow.inFlight > 0) grant.modelWindow.inFlight--;
      grant.modelWindow.tokens += tokens;
    }
    grant.state.globalSpend += cost;
    const key = grant.key;
    const deployment = outcome.deployment;
    this.writer.record(
      {
        requestId: outcome.callId, callType: (outcome.endpoint != null ? SURFACE_CALL_TYPES[outcome.endpoint] : undefined) ?? (outcome.operation === 'chat' ? 'acompletion' : outcome.operation === 'embedding' ? 'aembedding' : 'atext_completion'),
        apiKey: key.id, spend: cost, promptTokens: usage?.promptTokens ?? 0, completionTokens: usage?.completionTokens ?? 0, totalTokens: tokens,
        cacheReadTokens: usage?.cachedPromptTokens ?? 0, cacheCreationTokens: usage?.cacheCreationTokens ?? 0,
        startTime: this.epochOffset + outcome.startedAt, endTime: this.epochOffset + outcome.endedAt,
        completionStartTime: outcome.timeToFirstTokenMs > 0 ? this.epochOffset + outcome.startedAt + outcome.timeToFirstTokenMs : null,
        model: deployment?.upstreamModel ?? outcome.requestedModel ?? '', modelId: deployment?.id ?? '', modelGroup: outcome.modelGroup ?? '',
        provider: deployment?.provider ?? '', apiBase: deployment?.apiBase ?? '', userId: key.userId, teamId: key.teamId, endUser: grant.endUserId,
        tags: tagsOf(key.metadata), endpoint: (outcome.endpoint != null ? SURFACE_ENDPOINT_PATHS[outcome.endpoint] : undefined) ?? (outcome.operation === 'chat' ? '/chat/completions' : `/${outcome.operation}s`), success, keyAlias: key.alias,
      },
      key.id, key.teamId, key.userId, grant.endUserId, grant.member === null ? null : grant.member.id,
    );
  }
}

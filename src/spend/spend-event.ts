// What one finished request contributes to spend: a SpendLogs row, entity increments and daily aggregates.

export interface SpendEvent {
  requestId: string;
  callType: string;
  /** The key's stored token (SHA-256 hex), as LiteLLM logs it. */
  apiKey: string;
  spend: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  /**
   * Epoch milliseconds, not Dates: events wait in the buffer long enough to be promoted to the old generation, and
   * three Date objects each would multiply what old-generation GC has to mark at 1,000 req/s.
   */
  startTime: number;
  endTime: number;
  completionStartTime: number | null;
  model: string;
  modelId: string;
  modelGroup: string;
  provider: string;
  apiBase: string;
  userId: string | null;
  teamId: string | null;
  endUser: string | null;
  tags: readonly string[];
  endpoint: string;
  success: boolean;
  keyAlias: string | null;
}

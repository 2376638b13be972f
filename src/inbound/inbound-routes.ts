// The inbound APIs' paths (each also served under /v1), for the route table.
import { COUNT_TOKENS_API, MESSAGES_API } from './anthropic/messages-api.js';
import type { InboundApi } from './inbound-call.js';
import { RESPONSES_API } from './responses/responses-api.js';

export const INBOUND_PATHS: ReadonlyArray<readonly [string, InboundApi]> = [
  ['/messages', MESSAGES_API],
  ['/messages/count_tokens', COUNT_TOKENS_API],
  ['/responses', RESPONSES_API],
];

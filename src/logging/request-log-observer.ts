// One debug line per finished request (never at info: a line per request would cost more than the request).
import type { RequestObserver, RequestOutcome } from '../dataplane/request-outcome.js';
import { logger } from './logger.js';

export class RequestLogObserver implements RequestObserver {
  /** Request bodies only when asked (`log_raw_request_response`) and never with `turn_off_message_logging`. */
  private readonly logBodies: boolean;

  constructor(logBodies: boolean) {
    this.logBodies = logBodies;
  }

  onRequestFinished(outcome: RequestOutcome): void {
    if (!logger.isLevelEnabled('debug')) return;
    const deployment = outcome.deployment;
    logger.debug(
      {
        callId: outcome.callId,
        operation: outcome.operation,
        model: outcome.requestedModel,
        deployment: deployment === null ? null : deployment.id,
        provider: deployment === null ? null : deployment.provider,
        status: outcome.status,
        stream: outcome.stream,
        durationMs: outcome.endedAt - outcome.startedAt,
        upstreamMs: outcome.upstreamMs,
        usage: outcome.usage,
        error: outcome.error === null ? undefined : outcome.error.message,
        requestBody: this.logBodies ? outcome.requestBody : undefined,
      },
      'request finished',
    );
  }
}

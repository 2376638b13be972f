// Streams GenerateContentResponse chunks: SSE `data:` events with alt=sse, else one JSON array sent piecewise.
import { SSE_TYPE, sseDataCrlf } from '../sse.js';
import { runStream, type StreamPlan } from '../stream-run.js';
import type { MockContext } from '../types.js';
import { STREAM_ERROR_BODY } from './error-body.js';

const ARRAY_SEPARATOR = ',\r\n';

export function streamChunks(ctx: MockContext, chunks: readonly unknown[]): void {
  runStream(ctx, isSse(ctx.query) ? ssePlan(chunks) : arrayPlan(chunks));
}

function isSse(query: string): boolean {
  return query.length > 0 && new URLSearchParams(query).get('alt') === 'sse';
}

function ssePlan(chunks: readonly unknown[]): StreamPlan {
  return {
    contentType: SSE_TYPE,
    head: [],
    content: chunks.map(sseDataCrlf),
    tail: [],
    errorFrame: () => sseDataCrlf(STREAM_ERROR_BODY),
  };
}

/** Without alt=sse the API streams a JSON array whose elements arrive one by one. */
function arrayPlan(chunks: readonly unknown[]): StreamPlan {
  return {
    contentType: 'application/json; charset=UTF-8',
    head: ['['],
    content: chunks.map((chunk, i) => (i === 0 ? '' : ARRAY_SEPARATOR) + JSON.stringify(chunk)),
    tail: [']'],
    errorFrame: (sent) => `${sent === 0 ? '' : ARRAY_SEPARATOR}${JSON.stringify(STREAM_ERROR_BODY)}]`,
  };
}

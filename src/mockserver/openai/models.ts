// GET /v1/models: a fixed model list, serialised once at start-up.
import type { MockContext } from '../types.js';

const CREATED = 1_700_000_000;
const MODELS: ReadonlyArray<[string, string]> = [
  ['gpt-4o', 'system'],
  ['gpt-4o-mini', 'system'],
  ['gpt-4.1', 'system'],
  ['gpt-4.1-mini', 'system'],
  ['o4-mini', 'system'],
  ['gpt-3.5-turbo-instruct', 'system'],
  ['text-embedding-3-small', 'system'],
  ['text-embedding-3-large', 'system'],
];

const BODY = JSON.stringify({
  object: 'list',
  data: MODELS.map(([id, owner]) => ({ id, object: 'model', created: CREATED, owned_by: owner })),
});

export function handleModels(ctx: MockContext): void {
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(BODY)) });
  ctx.res.end(BODY);
}

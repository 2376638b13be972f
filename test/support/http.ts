// Small fetch helpers for asserting the contract's exact error shapes.
import assert from 'node:assert/strict';

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Asserts the OpenAI error shape, status, type and (optionally) param; returns the error object. */
export async function expectError(response: Response, status: number, type: string, param?: string | null): Promise<ErrorBody['error']> {
  const text = await response.text();
  assert.equal(response.status, status, `status (body: ${text})`);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  assert.deepEqual(Object.keys(body), ['error']);
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(body.error.type, type);
  assert.equal(body.error.code, String(status));
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  if (param !== undefined) assert.equal(body.error.param, param);
  return body.error;
}

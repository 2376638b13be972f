import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseDataReader } from './sse-data-reader.js';

function read(pieces: Array<string | Buffer>, finish = true): string[] {
  const seen: string[] = [];
  const reader = new SseDataReader({ onData: (data) => seen.push(data) });
  for (const piece of pieces) reader.push(piece);
  if (finish) reader.finish();
  return seen;
}

test('events split anywhere, CRLF, comments and other fields', () => {
  const text = ': comment\r\nevent: x\r\ndata: {"a":1}\r\n\r\nid: 3\ndata:{"b":2}\n\ndata: [DONE]\n\n';
  const expected = ['{"a":1}', '{"b":2}', '[DONE]'];
  for (let at = 0; at <= text.length; at++) assert.deepEqual(read([text.slice(0, at), text.slice(at)]), expected, `split at ${at}`);
});

test('multi-line data joins with newlines; a last event without its blank line counts at finish', () => {
  assert.deepEqual(read(['data: a\ndata: b\n\ndata: last']), ['a\nb', 'last']);
  assert.deepEqual(read(['data: last'], false), []);
});

test('a UTF-8 character split across chunks survives', () => {
  const bytes = Buffer.from('data: "✓é"\n\n');
  for (let at = 1; at < bytes.length; at++) assert.deepEqual(read([bytes.subarray(0, at), bytes.subarray(at)]), ['"✓é"']);
});

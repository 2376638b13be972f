// The incremental SSE and NDJSON decoders: boundaries anywhere, UTF-8 split mid-character, CRLF, comments, multi-line data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NdjsonDecoder } from './ndjson-decoder.js';
import { SseDecoder } from './sse-decoder.js';

function decodeSse(text: string, step: number): Array<[string, string]> {
  const events: Array<[string, string]> = [];
  const decoder = new SseDecoder({ onEvent: (event, data) => events.push([event, data]) });
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += step) decoder.push(bytes.subarray(at, at + step));
  decoder.finish();
  return events;
}

test('SSE events survive any chunk boundary, including inside a UTF-8 character', () => {
  const text = ': keep-alive\n\nevent: a\ndata: {"t":"héllo 🌍"}\n\r\ndata: line1\ndata: line2\r\n\r\nevent: b\ndata:x\n\n';
  for (const step of [1, 2, 3, 5, 1000]) {
    assert.deepEqual(decodeSse(text, step), [['a', '{"t":"héllo 🌍"}'], ['', 'line1\nline2'], ['b', 'x']], `step ${step}`);
  }
});

test('an event not closed by a blank line is discarded at the end (SSE spec)', () => {
  assert.deepEqual(decodeSse('data: 1\n\ndata: 2\n', 4), [['', '1']]);
  assert.deepEqual(decodeSse('data: 1\n\ndata: {"cut', 4), [['', '1']]);
});

function readData(pieces: Array<string | Buffer>, finish = true): string[] {
  const seen: string[] = [];
  const decoder = new SseDecoder({ onEvent: (_event, data) => seen.push(data) }, { keepUnterminatedEvent: true });
  for (const piece of pieces) decoder.push(piece);
  if (finish) decoder.finish();
  return seen;
}

test('string pieces split anywhere, CRLF, comments, other fields and look-alike field names', () => {
  const text = ': comment\r\nevent: x\r\ndata: {"a":1}\r\n\r\nid: 3\ndatum: no\ndata:{"b":2}\n\ndata: [DONE]\n\n';
  const expected = ['{"a":1}', '{"b":2}', '[DONE]'];
  for (let at = 0; at <= text.length; at++) assert.deepEqual(readData([text.slice(0, at), text.slice(at)]), expected, `split at ${at}`);
});

test('keepUnterminatedEvent: a last event without its blank line counts at finish, not before', () => {
  assert.deepEqual(readData(['data: a\ndata: b\n\ndata: last']), ['a\nb', 'last']);
  assert.deepEqual(readData(['data: last'], false), []);
  assert.deepEqual(readData(['data: last\r']), ['last']);
});

test('NDJSON lines survive any boundary; blank lines are skipped; a final line without newline counts', () => {
  const lines: string[] = [];
  const decoder = new NdjsonDecoder({ onLine: (line) => lines.push(line) });
  const bytes = Buffer.from('{"a":"é"}\n\n{"b":2}\r\n{"c":3}');
  for (let at = 0; at < bytes.length; at += 1) decoder.push(bytes.subarray(at, at + 1));
  decoder.finish();
  assert.deepEqual(lines, ['{"a":"é"}', '{"b":2}', '{"c":3}']);
});

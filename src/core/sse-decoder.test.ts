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

test('NDJSON lines survive any boundary; blank lines are skipped; a final line without newline counts', () => {
  const lines: string[] = [];
  const decoder = new NdjsonDecoder({ onLine: (line) => lines.push(line) });
  const bytes = Buffer.from('{"a":"é"}\n\n{"b":2}\r\n{"c":3}');
  for (let at = 0; at < bytes.length; at += 1) decoder.push(bytes.subarray(at, at + 1));
  decoder.finish();
  assert.deepEqual(lines, ['{"a":"é"}', '{"b":2}', '{"c":3}']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { GatewayError } from '../core/errors.js';
import { boundaryOf, MultipartHead } from './multipart-head.js';
import { MultipartRewriteStream, type ModelFieldHandler } from './multipart-rewrite-stream.js';

const BOUNDARY = '----sluiceBoundary42';

function form(parts: Array<[name: string, value: string, filename?: string]>): string {
  let out = '';
  for (const [name, value, filename] of parts) {
    const disposition = filename === undefined ? `form-data; name="${name}"` : `form-data; name="${name}"; filename="${filename}"`;
    out += `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${filename === undefined ? '' : 'Content-Type: audio/wav\r\n'}\r\n${value}\r\n`;
  }
  return `${out}--${BOUNDARY}--\r\n`;
}

class Recorder implements ModelFieldHandler {
  seen: string[] = [];
  errors: GatewayError[] = [];
  onModelField(model: string): string | null {
    this.seen.push(model);
    return model === 'refuse' ? null : `upstream-${model}`;
  }
  onModelFieldMissing(error: GatewayError): void {
    this.errors.push(error);
  }
}

async function rewrite(body: string, chunkSize: number, lookahead = 1 << 20): Promise<{ out: string; recorder: Recorder }> {
  const recorder = new Recorder();
  const stream = new MultipartRewriteStream(BOUNDARY, recorder, lookahead, 1 << 24);
  const bytes = Buffer.from(body);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  const out = await text(Readable.from(chunks).pipe(stream));
  return { out, recorder };
}

test('boundaryOf reads plain and quoted boundaries', () => {
  assert.equal(boundaryOf(`multipart/form-data; boundary=${BOUNDARY}`), BOUNDARY);
  assert.equal(boundaryOf('multipart/form-data; boundary="a b"; charset=utf-8'), 'a b');
  assert.equal(boundaryOf('application/json'), null);
});

test('the model field is rewritten and everything else passes unchanged, at every chunk size', async () => {
  const body = form([['model', 'whisper'], ['file', 'RIFF....audio bytes\r\n--not-a-boundary', 'a.wav'], ['language', 'en']]);
  const expected = body.replace('\r\n\r\nwhisper\r\n', '\r\n\r\nupstream-whisper\r\n');
  for (const size of [1, 2, 3, 7, 16, 64, body.length]) {
    const { out, recorder } = await rewrite(body, size);
    assert.equal(out, expected, `chunk size ${size}`);
    assert.deepEqual(recorder.seen, ['whisper']);
  }
});

test('a model after the file is found while the file is held', async () => {
  const body = form([['file', 'x'.repeat(5000), 'a.wav'], ['model', 'late']]);
  const { out } = await rewrite(body, 100);
  assert.equal(out, body.replace('\r\n\r\nlate\r\n', '\r\n\r\nupstream-late\r\n'));
});

test('missing model, a refused model and an exceeded lookahead are reported, not thrown', async () => {
  const missing = await rewrite(form([['file', 'abc', 'a.wav']]), 4);
  assert.equal(missing.out, '');
  assert.equal(missing.recorder.errors[0]!.param, 'model');
  const refused = await rewrite(form([['model', 'refuse'], ['file', 'abc', 'a.wav']]), 4);
  assert.equal(refused.out, '');
  assert.equal(refused.recorder.errors.length, 0);
  const far = await rewrite(form([['file', 'y'.repeat(10_000), 'a.wav'], ['model', 'm']]), 512, 4096);
  assert.match(far.recorder.errors[0]!.message, /not found in the first/);
});

test('the head scanner reports a part without a name as malformed', () => {
  const head = new MultipartHead(BOUNDARY);
  head.append(Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--`));
  assert.equal(head.scan().kind, 'malformed');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { GatewayError } from '../core/errors.js';
import { boundaryOf, MultipartHead } from './multipart-head.js';
import { UploadSpool, type UploadHandler } from './upload-spool.js';

const BOUNDARY = '----sluiceBoundary42';

function form(parts: Array<[name: string, value: string, filename?: string]>): string {
  let out = '';
  for (const [name, value, filename] of parts) {
    const disposition = filename === undefined ? `form-data; name="${name}"` : `form-data; name="${name}"; filename="${filename}"`;
    out += `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${filename === undefined ? '' : 'Content-Type: audio/wav\r\n'}\r\n${value}\r\n`;
  }
  return `${out}--${BOUNDARY}--\r\n`;
}

/** Plays the call: the first attempt opens the live body as soon as the model is known (like SurfaceCall). */
class Attempts implements UploadHandler {
  spool: UploadSpool | null = null;
  seen: string[] = [];
  errors: GatewayError[] = [];
  bodies: Array<{ body: Readable; length: number }> = [];
  openLive = true;

  onModelField(model: string): boolean {
    this.seen.push(model);
    if (model === 'refuse') return false;
    if (this.openLive) this.open(`upstream-${model}`);
    return true;
  }

  onUploadError(error: GatewayError): void {
    this.errors.push(error);
  }

  open(model: string | null): boolean {
    return this.spool!.open(model, (body, length) => this.bodies.push({ body, length }));
  }
}

function start(body: string | Buffer, chunkSize: number, options: { spool?: boolean; lookahead?: number; sizeLimit?: number; boundary?: string | null; declared?: boolean } = {}): { attempts: Attempts; spool: UploadSpool } {
  const attempts = new Attempts();
  const bytes = Buffer.from(body);
  const spool = new UploadSpool({
    boundary: options.boundary === undefined ? BOUNDARY : options.boundary,
    handler: attempts,
    lookahead: options.lookahead ?? 1 << 20,
    sizeLimit: options.sizeLimit ?? 1 << 24,
    declaredLength: options.declared === false ? -1 : bytes.length,
    spool: options.spool ?? false,
    onStopReading: () => undefined,
  });
  spool.on('error', () => undefined);
  attempts.spool = spool;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) chunks.push(bytes.subarray(at, at + chunkSize));
  Readable.from(chunks).pipe(spool);
  return { attempts, spool };
}

test('boundaryOf reads plain and quoted boundaries', () => {
  assert.equal(boundaryOf(`multipart/form-data; boundary=${BOUNDARY}`), BOUNDARY);
  assert.equal(boundaryOf('multipart/form-data; boundary="a b"; charset=utf-8'), 'a b');
  assert.equal(boundaryOf('application/json'), null);
});

test('the live attempt gets the model rewritten and everything else unchanged, at every chunk size', async () => {
  const body = form([['model', 'whisper'], ['file', 'RIFF....audio bytes\r\n--not-a-boundary', 'a.wav'], ['language', 'en']]);
  const expected = body.replace('\r\n\r\nwhisper\r\n', '\r\n\r\nupstream-whisper\r\n');
  for (const size of [1, 2, 3, 7, 16, 64, body.length]) {
    const { attempts } = start(body, size);
    while (attempts.bodies.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const [{ body: live, length }] = attempts.bodies;
    assert.equal((await buffer(live!)).toString(), expected, `chunk size ${size}`);
    assert.equal(length, Buffer.byteLength(expected));
    assert.deepEqual(attempts.seen, ['whisper']);
  }
});

test('a model after the file is found while the file is held', async () => {
  const body = form([['file', 'x'.repeat(5000), 'a.wav'], ['model', 'late']]);
  const { attempts } = start(body, 100, { declared: false });
  while (attempts.bodies.length === 0) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(attempts.bodies[0]!.length, -1, 'no declared length: sent chunked');
  assert.equal((await buffer(attempts.bodies[0]!.body)).toString(), body.replace('\r\n\r\nlate\r\n', '\r\n\r\nupstream-late\r\n'));
});

test('missing model, a refused model and an exceeded lookahead are reported, not thrown', async () => {
  const missing = start(form([['file', 'abc', 'a.wav']]), 4);
  await once(missing.spool, 'finish');
  assert.equal(missing.attempts.errors[0]!.param, 'model');
  const refused = start(form([['model', 'refuse'], ['file', 'abc', 'a.wav']]), 4);
  await once(refused.spool, 'finish');
  assert.equal(refused.attempts.errors.length, 0);
  assert.equal(refused.attempts.bodies.length, 0);
  const far = start(form([['file', 'y'.repeat(10_000), 'a.wav'], ['model', 'm']]), 512, { lookahead: 4096 });
  await once(far.spool, 'finish');
  assert.match(far.attempts.errors[0]!.message, /not found in the first/);
});

test('a retry replays the spooled upload with its own model name, after the first attempt failed half way', async () => {
  const file = Buffer.alloc(300_000);
  for (let at = 0; at < file.length; at++) file[at] = at % 251;
  const body = Buffer.concat([Buffer.from(form([['model', 'whisper']]).replace(`--${BOUNDARY}--\r\n`, '')), Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
  const { attempts, spool } = start(body, 16 * 1024, { spool: true });
  while (attempts.bodies.length === 0) await new Promise((resolve) => setImmediate(resolve));
  const live = attempts.bodies[0]!.body;
  live.on('error', () => undefined);
  // The first attempt reads a little, then its upstream goes away.
  await once(live, 'readable');
  live.read();
  live.destroy(new Error('upstream reset'));
  assert.equal(attempts.open('other-deployment-model'), true);
  await once(spool, 'finish');
  while (attempts.bodies.length < 2) await new Promise((resolve) => setImmediate(resolve));
  const replay = attempts.bodies[1]!;
  const expected = Buffer.from(body.toString('latin1').replace('\r\n\r\nwhisper\r\n', '\r\n\r\nother-deployment-model\r\n'), 'latin1');
  assert.equal(replay.length, expected.length);
  assert.ok((await buffer(replay.body)).equals(expected), 'the replay is the upload with the new model');
  // A third attempt reads it again, from the start.
  assert.equal(attempts.open('third'), true);
  assert.ok((await buffer(attempts.bodies[2]!.body)).toString('latin1').includes('\r\n\r\nthird\r\n'));
  spool.destroy();
});

test('a first attempt that starts late replays from disk; without a spool it cannot', async () => {
  const body = form([['model', 'whisper'], ['file', 'z'.repeat(200_000), 'a.wav']]);
  const spooled = start(body, 1000, { spool: true });
  spooled.attempts.openLive = false;
  await once(spooled.spool, 'finish');
  assert.equal(spooled.attempts.open('later'), true);
  assert.equal((await buffer(spooled.attempts.bodies[0]!.body)).toString(), body.replace('\r\n\r\nwhisper\r\n', '\r\n\r\nlater\r\n'));
  spooled.spool.destroy();
  const plain = start(body, 1000, { spool: false });
  plain.attempts.openLive = false;
  await once(plain.spool, 'finish');
  assert.equal(plain.attempts.open('later'), false);
});

test('uploads without a model field (files) pass unchanged; over the limit the live attempt fails with a 413', async () => {
  const body = 'x'.repeat(50_000);
  const { attempts, spool } = start(body, 4096, { boundary: null, sizeLimit: 20_000 });
  attempts.open(null);
  const live = attempts.bodies[0]!.body;
  const failed = once(live, 'error');
  live.resume();
  const [error] = (await failed) as [GatewayError];
  assert.equal(error.status, 413);
  assert.equal(attempts.errors.length, 0, 'the attempt, not the handler, reports it');
  spool.destroy();
});

test('the head scanner reports a part without a name as malformed', () => {
  const head = new MultipartHead(BOUNDARY);
  head.append(Buffer.from(`--${BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--`));
  assert.equal(head.scan().kind, 'malformed');
});

// POST /v1/audio/speech (audio bytes streamed in chunks) and /v1/audio/transcriptions, /translations (multipart upload).
import { createHash } from 'node:crypto';
import { asRecord, asString } from '../json.js';
import { dropConnection, sendReply } from '../send.js';
import type { MockContext, MockError } from '../types.js';

const SPEECH_CHUNK = 16 * 1024;
/** Pretend audio rate for durations: 16 kB per second. */
const BYTES_PER_SECOND = 16_000;

/** Deterministic "audio" for a text: a SHA-256 chain, ~64 bytes per input character (at least 64 KiB). */
export function speechBytes(input: string, voice: string): Buffer {
  const size = Math.max(64 * 1024, input.length * 64);
  const out = Buffer.allocUnsafe(size);
  let block = createHash('sha256').update(`${voice}:${input}`).digest();
  for (let at = 0; at < size; at += block.length) {
    block.copy(out, at, 0, Math.min(block.length, size - at));
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

export function handleSpeech(ctx: MockContext): MockError | undefined {
  const body = asRecord(ctx.body) ?? {};
  const input = asString(body.input);
  if (input === undefined || input === '') return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'input'." };
  const audio = speechBytes(input, asString(body.voice) ?? 'alloy');
  const format = asString(body.response_format) ?? 'mp3';
  ctx.res.writeHead(200, { 'content-type': format === 'mp3' ? 'audio/mpeg' : `audio/${format}`, 'transfer-encoding': 'chunked' });
  // drop_after=N: the connection dies after N chunks of audio (0: right after the headers).
  const dropAfter = ctx.scenario.dropAfter;
  const end = dropAfter === undefined ? audio.length : Math.min(audio.length, dropAfter * SPEECH_CHUNK);
  if (end === 0) ctx.res.flushHeaders();
  let at = 0;
  const writeMore = (): void => {
    while (at < end) {
      const chunk = audio.subarray(at, at + SPEECH_CHUNK);
      at += chunk.length;
      if (!ctx.res.write(chunk)) return void ctx.res.once('drain', writeMore);
    }
    if (dropAfter === undefined) ctx.res.end();
    else dropConnection(ctx.res);
  };
  writeMore();
  return undefined;
}

function handleAudioUpload(ctx: MockContext, task: string): MockError | undefined {
  const form = ctx.multipart;
  const file = form?.files.file;
  if (form === undefined || file === undefined) return { kind: 'invalid_request', status: 400, message: "Missing required parameter: 'file'." };
  const model = form.fields.model ?? '';
  const seconds = Math.max(1, Math.round(file.size / BYTES_PER_SECOND));
  const text = `${task} by ${model} of ${file.filename}: ${file.size} bytes, sha256 ${file.sha256}, fields ${form.order.join(',')}`;
  const format = form.fields.response_format ?? 'json';
  if (format === 'text') {
    ctx.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    ctx.res.end(text);
    return undefined;
  }
  if (format === 'verbose_json') sendReply(ctx, { task, language: 'english', duration: seconds, text, segments: [] });
  else sendReply(ctx, { text, usage: { type: 'duration', seconds } });
  return undefined;
}

export function handleTranscription(ctx: MockContext): MockError | undefined {
  return handleAudioUpload(ctx, 'transcribe');
}

export function handleTranslation(ctx: MockContext): MockError | undefined {
  return handleAudioUpload(ctx, 'translate');
}

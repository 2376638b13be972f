// Micro-benchmark of the native adapters' translators (against dist/): µs per upstream stream chunk and per non-stream answer.
// Method: each recorded fixture is replayed in-process; stream chunks are the provider's own events (one event per push,
// as a socket usually delivers them), with a 200-event text stream built from the fixture's delta event. Each measurement
// runs ROUNDS times after a warm-up and the median is printed. Usage: npm run build && node bench/translate.mjs
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { AnthropicAdapter } from '../dist/providers/anthropic/adapter.js';
import { BedrockAdapter } from '../dist/providers/bedrock/adapter.js';
import { CohereAdapter } from '../dist/providers/cohere/adapter.js';
import { GeminiAdapter } from '../dist/providers/gemini/adapter.js';
import { OllamaAdapter } from '../dist/providers/ollama/adapter.js';
import { loadAwsLibraries } from '../dist/providers/bedrock/aws-libraries.js';

// In the gateway every Bedrock call awaits these in authorize(); this bench builds translators directly.
await loadAwsLibraries();

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const DELTAS = 200;
const fixtures = new URL('../test/fixtures/', import.meta.url);
const read = (path) => readFileSync(new URL(path, fixtures));
const codec = new EventStreamCodec(toUtf8, fromUtf8);
const ctx = { model: 'bench-model', includeUsage: true, created: 1_700_000_000 };

function sseEvents(text) {
  const sep = text.includes('\r\n\r\n') ? '\r\n\r\n' : '\n\n';
  return text.split(sep).filter((event) => event.trim() !== '').map((event) => event + sep);
}

/** A long stream: the fixture's head, its first content delta repeated DELTAS times, then its tail. */
function widen(events, isDelta) {
  const first = events.findIndex(isDelta);
  let last = first;
  while (last + 1 < events.length && isDelta(events[last + 1], last + 1)) last++;
  return [...events.slice(0, first), ...Array(DELTAS).fill(events[first]), ...events.slice(last + 1)];
}

function bedrockFrames() {
  const frames = JSON.parse(read('bedrock/text.stream.json').toString());
  const encoded = frames.map((frame) => Buffer.from(codec.encode({
    headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: frame.event }, ':content-type': { type: 'string', value: 'application/json' } },
    body: fromUtf8(JSON.stringify(frame.payload)),
  })));
  return widen(encoded, (_, i) => frames[i]?.event === 'contentBlockDelta');
}

function textChunks(dir, marker) {
  const events = sseEvents(read(`${dir}/text.stream.txt`).toString());
  return widen(events, (event) => event.includes(marker) && !event.includes('finishReason')).map((event) => Buffer.from(event));
}

function ollamaChunks() {
  const lines = read('ollama/text.stream.txt').toString().split('\n').filter(Boolean).map((line) => line + '\n');
  return widen(lines, (line) => JSON.parse(line).done === false).map((line) => Buffer.from(line));
}

const CASES = [
  ['anthropic', new AnthropicAdapter(), textChunks('anthropic', 'text_delta')],
  ['gemini', new GeminiAdapter(), textChunks('gemini', '"text"')],
  ['bedrock', new BedrockAdapter(), bedrockFrames()],
  ['cohere', new CohereAdapter(), textChunks('cohere', 'content-delta')],
  ['ollama', new OllamaAdapter('ollama_chat'), ollamaChunks()],
];

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function perChunkMicros(adapter, chunks) {
  const runs = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const repeat = 50;
    const started = performance.now();
    for (let r = 0; r < repeat; r++) {
      const translator = adapter.createStreamTranslator('chat', ctx);
      for (const chunk of chunks) translator.push(chunk);
      translator.end();
    }
    const micros = ((performance.now() - started) * 1000) / (repeat * chunks.length);
    if (round >= 2) runs.push(micros);
  }
  return median(runs);
}

function perResponseMicros(adapter, body) {
  const runs = [];
  for (let round = 0; round < ROUNDS + 2; round++) {
    const repeat = 2000;
    const started = performance.now();
    for (let r = 0; r < repeat; r++) JSON.stringify(adapter.parseResponse('chat', body, ctx));
    const micros = ((performance.now() - started) * 1000) / repeat;
    if (round >= 2) runs.push(micros);
  }
  return median(runs);
}

console.log(`translate bench: node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
console.log(`method: in-process replay of recorded fixtures, one provider event per push, ${DELTAS} content deltas per stream; median of ${ROUNDS} rounds`);
console.log('provider    µs/stream-chunk  µs/non-stream response (parse + map + serialise), text and tool fixtures; targets ≤5 and ≤50');
for (const [name, adapter, chunks] of CASES) {
  const chunk = perChunkMicros(adapter, chunks);
  const text = perResponseMicros(adapter, read(`${name}/text.json`));
  const tool = perResponseMicros(adapter, read(`${name}/tool.json`));
  console.log(`${name.padEnd(11)} ${chunk.toFixed(2).padStart(15)}  ${text.toFixed(2).padStart(10)} (text)  ${tool.toFixed(2).padStart(8)} (tool)`);
}

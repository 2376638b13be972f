// Micro-benchmarks of the inbound translators (run against dist/): µs per stream chunk and per request, median of rounds.
// Targets (issue 3): ≤ 5 µs per stream chunk, ≤ 50 µs per request.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { anthropicToChat } from '../dist/inbound/anthropic/request-to-chat.js';
import { ChatToAnthropicRewriter } from '../dist/inbound/anthropic/stream-translator.js';
import { AnthropicNativeTap } from '../dist/inbound/anthropic/native-tap.js';
import { responsesToChat } from '../dist/inbound/responses/request-to-chat.js';
import { ChatToResponsesRewriter } from '../dist/inbound/responses/stream-translator.js';

const ROUNDS = 7;
const CONTENT_CHUNKS = 200;

function chunk(delta, finish = null) {
  return Buffer.from(`data: ${JSON.stringify({ id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', object: 'chat.completion.chunk', created: 1741569952, model: 'gpt-4o-2024-08-06', system_fingerprint: 'fp_eb9dce56a8', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`);
}
const WORDS = ['The ', 'quick ', 'brown ', 'fox ', 'jumps ', 'over ', 'the ', 'lazy ', 'dog, ', 'again. '];
const STREAM = [chunk({ role: 'assistant', content: '' })];
for (let index = 0; index < CONTENT_CHUNKS; index++) STREAM.push(chunk({ content: WORDS[index % WORDS.length] }));
STREAM.push(chunk({}, 'stop'));
STREAM.push(Buffer.from(`data: ${JSON.stringify({ id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 200, completion_tokens: 200, total_tokens: 400 } })}\n\n`));
STREAM.push(Buffer.from('data: [DONE]\n\n'));

const ANTHROPIC_STREAM = [Buffer.from('event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":200,"output_tokens":1}}}\n\n')];
for (let index = 0; index < CONTENT_CHUNKS; index++) ANTHROPIC_STREAM.push(Buffer.from(`event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":${JSON.stringify(WORDS[index % WORDS.length])}}}\n\n`));
ANTHROPIC_STREAM.push(Buffer.from('event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":200}}\n\n'));

const SYSTEM = 'You are a helpful assistant that answers concisely and accurately. '.repeat(6);
const TOOL = { name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const anthropicRequest = JSON.stringify({
  model: 'claude-sonnet-4-5',
  max_tokens: 1024,
  system: [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }],
  tools: [TOOL],
  messages: [
    { role: 'user', content: 'What is the weather in Paris today?' },
    { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny, 21C' }, { type: 'text', text: 'And should I bring a jacket?' }] },
  ],
  stream: true,
});
const responsesRequest = JSON.stringify({
  model: 'gpt-4o',
  instructions: SYSTEM,
  tools: [{ type: 'function', name: TOOL.name, description: TOOL.description, parameters: TOOL.input_schema }],
  input: [
    { role: 'user', content: 'What is the weather in Paris today?' },
    { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { type: 'function_call_output', call_id: 'call_1', output: 'Sunny, 21C' },
    { role: 'user', content: [{ type: 'input_text', text: 'And should I bring a jacket?' }] },
  ],
  stream: true,
});
const completion = Buffer.from(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1741569952, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(600), tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] }, finish_reason: 'tool_calls' }], usage: { prompt_tokens: 200, completion_tokens: 150, total_tokens: 350 } }));

function measure(name, unitsPerCall, iterations, fn) {
  const samples = [];
  for (let index = 0; index < iterations; index++) fn(); // warm-up: let the JIT settle before timing
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let index = 0; index < iterations; index++) fn();
    samples.push(((performance.now() - start) * 1000) / (iterations * unitsPerCall));
  }
  samples.sort((a, b) => a - b);
  const unit = unitsPerCall === 1 ? 'µs/request' : 'µs/chunk';
  console.log(`${name.padEnd(56)} ${samples[ROUNDS >> 1].toFixed(2).padStart(7)} ${unit}  (min ${samples[0].toFixed(2)})`);
}

function runStream(rewriter, stream) {
  for (const piece of stream) rewriter.push(piece);
  rewriter.end();
}

console.log(`inbound translation micro-benchmarks — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}; median of ${ROUNDS} rounds`);
measure('floor: JSON.parse of each upstream chunk (per chunk)', STREAM.length, 500, () => {
  for (const piece of STREAM) if (piece.length > 20) JSON.parse(piece.toString('utf8', 6));
});
measure('OpenAI stream → Anthropic SSE (per upstream chunk)', STREAM.length, 500, () => runStream(new ChatToAnthropicRewriter('claude'), STREAM));
measure('OpenAI stream → Responses events (per upstream chunk)', STREAM.length, 500, () => runStream(new ChatToResponsesRewriter({ model: 'gpt', request: { model: 'gpt', input: 'x' } }), STREAM));
measure('native Anthropic stream tap (per upstream chunk)', ANTHROPIC_STREAM.length, 500, () => runStream(new AnthropicNativeTap(), ANTHROPIC_STREAM));
measure('Anthropic request → chat (parse + translate + stringify)', 1, 20_000, () => JSON.stringify(anthropicToChat(JSON.parse(anthropicRequest), true).chat));
measure('Responses request → chat (parse + translate + stringify)', 1, 20_000, () => JSON.stringify(responsesToChat(JSON.parse(responsesRequest)).chat));
measure('chat completion → Anthropic message (1 KB body)', 1, 20_000, () => new ChatToAnthropicRewriter('claude').rewriteBody(completion));
measure('chat completion → Responses object (1 KB body)', 1, 20_000, () => new ChatToResponsesRewriter({ model: 'gpt', request: { model: 'gpt', input: 'x' } }).rewriteBody(completion));

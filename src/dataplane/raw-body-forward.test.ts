// The client's bytes go upstream only when they mean exactly what JSON.stringify of the upstream body would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../core/json.js';
import { findModelSpan, findParsedModelSpan, keepRawBody, splicedBody } from './raw-body-forward.js';

const parsedOf = new Map<string, JsonObject>();

/** As onBody keeps a request: its bytes and what JSON.parse made of them (remembered for `attempt`). */
function kept(text: string): ReturnType<typeof keepRawBody> {
  const parsed = JSON.parse(text) as JsonObject;
  parsedOf.set(text, parsed);
  return keepRawBody(Buffer.from(text), parsed);
}

/** The attempt's body as the gateway builds it: a shallow copy of the parsed body, with the upstream model. */
function attempt(text: string, model = 'gpt-4o-mini'): JsonObject {
  return { ...parsedOf.get(text)!, model };
}

test('findModelSpan finds the top-level model value, whatever the spacing and key order', () => {
  for (const text of ['{"model":"alias","messages":[]}', '{ "messages" : [ {"model":"x"} ] ,\n\t"model" :  "alias" }', '{"a":{"model":"x"},"b":"\\"model\\"","model":"alias"}']) {
    const span = findModelSpan(Buffer.from(text));
    assert.ok(span !== null, `span found in ${text}`);
    assert.equal(text.slice(span.start, span.end), '"alias"', `value span in ${text}`);
  }
});

test('findModelSpan refuses what could make the upstream read another model', () => {
  const refused = [
    '{"model":"a","model":"b"}', // duplicate: JSON.parse keeps the last
    '{"mod\\u0065l":"b","model":"a"}', // an escaped key JSON.parse reads as model
    '{"model":"a\\"b"}', // an escaped value
    '{"model":null}',
    '{"model":["a"]}',
    '[{"model":"a"}]',
    '{"messages":[]}',
    '{"model":"a"', // unterminated
  ];
  for (const text of refused) assert.equal(findModelSpan(Buffer.from(text)), null, `refused: ${text}`);
});

test('splicedBody: the client bytes with the upstream model, and nothing else changed', () => {
  const text = '{ "model": "alias",\n  "messages": [{"role": "user", "content": "caf\u00e9 \\u00e9 \\"model\\": x"}], "temperature": 1.50, "user": "u-1" }';
  const raw = kept(text);
  assert.ok(raw !== null, 'a valid body is kept');
  const spliced = splicedBody(raw, attempt(text));
  assert.ok(spliced !== null, 'a body that only changes model is spliced');
  assert.equal(spliced.toString(), text.replace('"alias"', '"gpt-4o-mini"'), 'only the model value differs from the client bytes');
  assert.deepEqual(JSON.parse(spliced.toString()), attempt(text), 'same meaning as the attempt body');
  const quoted = splicedBody(raw, attempt(text, 'we"ird/\u00e9'));
  assert.ok(quoted !== null, 'any upstream model name is spliced');
  assert.equal((JSON.parse(quoted.toString()) as JsonObject).model, 'we"ird/\u00e9', 'the upstream name is JSON-escaped');
});

test('splicedBody falls back to serialising when the body changed or cannot be trusted', () => {
  const text = '{"model":"alias","input":["a","b"],"metadata":{"tags":["t"]}}';
  const raw = kept(text)!;
  const dropped = attempt(text);
  delete dropped.metadata;
  assert.equal(splicedBody(raw, dropped), null, 'a removed field');
  assert.equal(splicedBody(raw, { ...attempt(text), max_tokens: 10 }), null, 'an added field');
  assert.equal(splicedBody(raw, { ...attempt(text), input: ['b'] }), null, 'a replaced field');
  assert.equal(splicedBody(raw, { ...attempt(text), input: ['a', 'b'] }), null, 'an equal but new value (no deep comparison: only identity counts)');
  assert.ok(splicedBody(raw, attempt(text)) !== null, 'the unchanged fields themselves are spliced');
  // The parse-time copy catches in-place changes made to the parsed body after keepRawBody (a partial cache hit).
  const parsed = JSON.parse(text) as JsonObject;
  const early = keepRawBody(Buffer.from(text), parsed)!;
  parsed.input = ['b'];
  assert.equal(splicedBody(early, { ...parsed, model: 'gpt-4o-mini' }), null, 'a field changed in place since parsing');
  assert.equal(kept('{"model":"a","model":"alias"}') === null ? null : splicedBody(kept('{"model":"a","model":"alias"}')!, { model: 'x' }), null, 'duplicate model keys');
  assert.equal(keepRawBody(Buffer.from([0x7b, 0x22, 0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), { model: '\ufffd' }), null, 'invalid UTF-8 is never forwarded as it came');
  assert.equal(kept('{"messages":[]}'), null, 'no model, nothing to splice');
});

test('splicedBody agrees with JSON.stringify on random bodies', () => {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
  const strings = ['', 'model', '"model"', 'a\\b', 'é', '\u2028', '{"model":"x"}', ',', '\n'];
  const value = (depth: number): unknown => {
    const kind = Math.floor(Math.random() * (depth > 2 ? 4 : 6));
    if (kind === 0) return pick(strings);
    if (kind === 1) return Math.round(Math.random() * 1e6) / 1e3;
    if (kind === 2) return pick([true, false, null]);
    if (kind === 3) return pick(strings) + String(depth);
    if (kind === 4) return Array.from({ length: Math.floor(Math.random() * 3) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(Math.random() * 3) }, () => [pick(['model', 'content', 'x', 'mod\\u0065l']), value(depth + 1)]));
  };
  let spliced = 0;
  for (let round = 0; round < 500; round++) {
    const fields: Array<[string, unknown]> = Array.from({ length: 1 + Math.floor(Math.random() * 4) }, (_, index) => [pick(['messages', 'input', 'tools', 'x']) + String(index), value(1)]);
    fields.splice(Math.floor(Math.random() * (fields.length + 1)), 0, ['model', pick(['alias', 'a/b', 'é'])]);
    if (Math.random() < 0.1) fields.push(['model', 'other']);
    const space = pick(['', ' ', '\n  ']);
    const text = `{${space}${fields.map(([key, item]) => `${JSON.stringify(key)}${space}:${space}${JSON.stringify(item)}`).join(`,${space}`)}${space}}`;
    const raw = kept(text);
    if (raw === null) continue;
    const upstream = attempt(text, pick(['gpt-4o', 'x"y']));
    if (Math.random() < 0.3) upstream.stream_options = { include_usage: true };
    const out = splicedBody(raw, upstream);
    if (out === null) continue;
    spliced++;
    assert.deepEqual(JSON.parse(out.toString()), JSON.parse(JSON.stringify(upstream)), `same meaning for ${text}`);
  }
  assert.ok(spliced > 300, `most random bodies are spliced (${spliced} of 500)`);
});

test('splicedBody appends the stream usage request Sluice adds, and nothing else', () => {
  const text = '{"model":"alias","stream":true,"messages":[{"role":"user","content":"}"}]} \n';
  const raw = kept(text)!;
  const upstream = { ...attempt(text), stream_options: { include_usage: true } };
  const spliced = splicedBody(raw, upstream);
  assert.ok(spliced !== null, 'model and an added stream_options are spliced');
  assert.equal(spliced.toString(), '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"}"}],"stream_options":{"include_usage":true}} \n', 'the member goes before the closing brace');
  assert.deepEqual(JSON.parse(spliced.toString()), upstream, 'same meaning as the attempt body');
  assert.equal(splicedBody(raw, { ...attempt(text), stream_options: { include_usage: true, extra: 1 } }), null, 'any other stream_options is serialised');
  assert.equal(splicedBody(raw, { ...attempt(text), stream_options: { include_usage: false } }), null, 'include_usage other than true');
  assert.equal(splicedBody(raw, { ...attempt(text), stream_options: [true] }), null, 'not an object');
  const own = '{"model":"alias","stream":true,"stream_options":{"include_usage":false}}';
  assert.equal(splicedBody(kept(own)!, { ...attempt(own), stream_options: { include_usage: true } }), null, 'a client stream_options that Sluice changed');
  assert.ok(splicedBody(kept(own)!, attempt(own)) !== null, 'a client stream_options left as it was');
});

test('findModelSpan reads escapes right where short strings turn into long ones', () => {
  // Quotes and backslashes escaped at every offset around the 32-byte switch from the JS loop to indexOf.
  for (let offset = 20; offset < 45; offset++) {
    for (const escape of ['\\"', '\\\\', '\\\\\\"', '\\u0022']) {
      const content = `${'x'.repeat(offset)}${escape}"model":"trap"${'y'.repeat(10)}`;
      const text = `{"messages":[{"content":${JSON.stringify(content)}}],"note":${JSON.stringify(content)},"model":"alias"}`;
      const span = findModelSpan(Buffer.from(text));
      assert.ok(span !== null, `span found (offset ${offset}, ${escape})`);
      assert.equal(text.slice(span.start, span.end), '"alias"', `the top-level value (offset ${offset}, ${escape})`);
    }
  }
});

test('findParsedModelSpan gives the full scan\'s answer for every body that parses with a model string', () => {
  const handmade = [
    '{"model":"alias","messages":[{"role":"user","content":"hi"}]}',
    '{ "messages" : [ ] ,\n\t"model" :  "alias" } \n',
    '{"note":"x\\"model","model":"alias"}', // an escaped quote before model inside a string: a second occurrence
    '{"a":{"model":"x"},"model":"alias"}',
    '{"model":"alias","a":"\\u0041"}', // a \u escape anywhere: the full scan decides
    '{"mod\\u0065l":"b","model":"alias"}',
    '{"model":"alias","model":"alias"}',
    '{"model":"a\\"b"}',
    '{"model":"alias","content":"say \\"model\\" twice"}',
    '{"model":"","x":1}',
  ];
  const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
  const pieces = ['model', '"model"', '\\"model\\"', 'x\\"model', '\\u0065', 'é', '{', '}', '\\\\'];
  const random = Array.from({ length: 400 }, () => {
    const fields: string[] = Array.from({ length: Math.floor(Math.random() * 4) }, (_, index) => `"k${index}":${pick(['1', 'null', `"${pick(pieces)}${pick(pieces)}"`, `{"model":"${pick(pieces)}"}`, `["${pick(pieces)}"]`])}`);
    fields.splice(Math.floor(Math.random() * (fields.length + 1)), 0, `${pick(['"model"', '"model" ', '"mod\\u0065l"'])}:${pick(['', ' '])}"${pick(['alias', 'a/b', 'x\\"y'])}"`);
    return `${pick(['', ' '])}{${fields.join(pick([',', ', ']))}}${pick(['', '\n'])}`;
  });
  let fast = 0;
  for (const text of [...handmade, ...random]) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof (parsed as { model?: unknown }).model !== 'string') continue;
    const bytes = Buffer.from(text);
    assert.deepEqual(findParsedModelSpan(bytes), findModelSpan(bytes), `same span for ${text}`);
    if (bytes.indexOf('"model"') === bytes.lastIndexOf('"model"') && !text.includes('\\u')) fast++;
  }
  assert.ok(fast > 50, `many bodies take the native path (${fast})`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamUsageFilter } from './stream-usage-filter.js';

const content = 'data: {"id":"1","choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}\n\n';
const usage = 'data: {"id":"1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n';
const done = 'data: [DONE]\n\n';

test('drops the usage-only event and keeps everything else, in order', () => {
  const filter = new StreamUsageFilter();
  const out = filter.push(Buffer.from(content + usage + done)).toString();
  assert.equal(out, content + done);
  assert.equal(filter.flush(), null);
});

test('handles events split across chunks at every position', () => {
  const whole = content + usage + done;
  for (let cut = 1; cut < whole.length; cut++) {
    const filter = new StreamUsageFilter();
    const out = filter.push(Buffer.from(whole.slice(0, cut))).toString() + filter.push(Buffer.from(whole.slice(cut))).toString() + (filter.flush()?.toString() ?? '');
    assert.equal(out, content + done, `cut at ${cut}`);
  }
});

test('only usage-only events go, wherever they sit among many events in one chunk', () => {
  const other = 'data: {"id":"1","choices":[{"index":0,"delta":{"content":"\\"usage\\":{ in text"}}],"usage":null}\n\n';
  const withChoices = 'data: {"id":"1","choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":3}}\n\n';
  const events = [usage, content, other, withChoices, usage, content, usage, done];
  const filter = new StreamUsageFilter();
  const out = filter.push(Buffer.from(events.join('') + 'data: {"id":"1","choices":[],"usa')).toString();
  assert.equal(out, [content, other, withChoices, content, done].join(''), 'usage-only events dropped, the rest in order');
  assert.equal(filter.push(Buffer.from('ge":{"total_tokens":4}}\n\n')).length, 0, 'a usage-only event completed by the next chunk is dropped too');
  assert.equal(filter.flush(), null, 'nothing left over');
  const whole = events.join('');
  for (let cut = 1; cut < whole.length; cut++) {
    const split = new StreamUsageFilter();
    const joined = split.push(Buffer.from(whole.slice(0, cut))).toString() + split.push(Buffer.from(whole.slice(cut))).toString() + (split.flush()?.toString() ?? '');
    assert.equal(joined, [content, other, withChoices, content, done].join(''), `cut at ${cut}`);
  }
  const partial = new StreamUsageFilter();
  assert.equal(partial.push(Buffer.from('data: {"choices":[],"usage":{"a":1}}')).length, 0, 'an incomplete event waits');
  assert.equal(partial.flush()?.toString(), 'data: {"choices":[],"usage":{"a":1}}', 'and is what flush returns');
});

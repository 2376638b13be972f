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

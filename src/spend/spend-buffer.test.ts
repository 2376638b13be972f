// Daily aggregates group by table, entity, date, key, model, provider and endpoint, whatever order events come in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpendBuffer } from './spend-buffer.js';
import type { SpendEvent } from './spend-event.js';

const DAY = Date.UTC(2026, 11, 5, 12);

function event(overrides: Partial<SpendEvent>): SpendEvent {
  return {
    requestId: 'r', callType: 'acompletion', apiKey: 'key-1', spend: 1, promptTokens: 10, completionTokens: 5, totalTokens: 15, cacheReadTokens: 0,
    cacheCreationTokens: 0, startTime: DAY, endTime: DAY + 100, completionStartTime: null, model: 'm1', modelId: 'd1', modelGroup: 'g', provider: 'openai',
    apiBase: 'http://x/v1', userId: null, teamId: null, endUser: null, tags: [], endpoint: '/chat/completions', success: true, keyAlias: null, ...overrides,
  };
}

test('consecutive and interleaved events land in the aggregate of their own fields', () => {
  const buffer = new SpendBuffer();
  const sequence: Array<[Partial<SpendEvent>, string | null]> = [
    [{}, 'alice'], [{}, 'alice'], [{}, 'bob'], [{ model: 'm2' }, 'alice'], [{}, 'alice'], [{ apiKey: 'key-2' }, 'alice'],
    [{ endpoint: '/embeddings' }, 'alice'], [{ provider: 'azure' }, 'alice'], [{ startTime: DAY + 86_400_000, success: false }, 'alice'], [{}, 'bob'],
  ];
  for (const [overrides, endUser] of sequence) buffer.record(event({ ...overrides, endUser, spend: 1 }), false, 'key-1', null, null, endUser);
  const endUsers = [...buffer.daily.values()].filter((delta) => delta.table === 'LiteLLM_DailyEndUserSpend');
  const summary = endUsers.map((d) => `${d.entity}|${d.date}|${d.apiKey}|${d.model}|${d.provider}|${d.endpoint}=${d.requests}/${d.failures}`).sort();
  assert.deepEqual(summary, [
    'alice|2026-12-05|key-1|m1|azure|/chat/completions=1/0',
    'alice|2026-12-05|key-1|m1|openai|/chat/completions=3/0',
    'alice|2026-12-05|key-1|m1|openai|/embeddings=1/0',
    'alice|2026-12-05|key-1|m2|openai|/chat/completions=1/0',
    'alice|2026-12-05|key-2|m1|openai|/chat/completions=1/0',
    'alice|2026-12-06|key-1|m1|openai|/chat/completions=1/1',
    'bob|2026-12-05|key-1|m1|openai|/chat/completions=2/0',
  ], 'one aggregate per distinct tuple, counting each event once');
  const users = [...buffer.daily.values()].filter((delta) => delta.table === 'LiteLLM_DailyUserSpend');
  assert.equal(users.reduce((sum, delta) => sum + delta.requests, 0), sequence.length, 'the user table counts every event too');
  assert.equal(users.reduce((sum, delta) => sum + delta.spend, 0), sequence.length, 'and its spend');
});

test('a failed batch merged back adds its totals to what arrived since, without sharing its aggregates', () => {
  const failed = new SpendBuffer();
  failed.record(event({}), false, 'key-1', null, 'alice', null);
  failed.record(event({ model: 'm3' }), false, 'key-1', null, 'alice', null);
  failed.resets.set('key:key-1', { target: 'key', id: 'key-1', nextResetAt: new Date(DAY + 86_400_000) });
  const current = new SpendBuffer();
  current.record(event({ spend: 2 }), false, 'key-1', null, 'alice', null);
  current.record(event({ model: 'm2' }), false, 'key-1', null, 'alice', null);
  current.mergeTotals(failed);
  assert.equal(current.increments.key.get('key-1'), 5, 'key spend adds up');
  assert.equal(current.increments.user.get('alice'), 5, 'user spend adds up');
  const byModel = (buffer: SpendBuffer, model: string) => [...buffer.daily.values()].find((delta) => delta.model === model)!;
  assert.equal(byModel(current, 'm1').requests, 2, 'the daily row of the same fields counts both requests');
  assert.equal(byModel(current, 'm1').spend, 3, 'and both spends');
  assert.equal(current.daily.size, 3, 'each model keeps its own row');
  assert.equal(current.resets.size, 1, 'the budget reset is kept');
  current.record(event({ model: 'm3' }), false, 'key-1', null, 'alice', null);
  assert.equal(byModel(current, 'm3').requests, 2, 'a row only the failed batch had counts on');
  assert.equal(byModel(failed, 'm3').requests, 1, "the failed batch's own aggregate is not written to");
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { periodOf } from './duration.js';
import { ModelBudgets, ModelSpendWindow, modelMaxBudgetProblem } from './model-budget.js';

test('model_max_budget compiles LiteLLM spellings and resolves the provider prefix', () => {
  const budgets = ModelBudgets.compile({ 'gpt-4o': { budget_limit: 0.5, time_period: '1d' }, 'claude': { max_budget: 2, budget_duration: '1mo' }, broken: { budget_limit: 1 } })!;
  assert.equal(budgets.size, 2);
  const budget = budgets.resolve('gpt-4o')!;
  assert.deepEqual([budget.model, budget.limit, budget.duration, budget.windowKey], ['gpt-4o', 0.5, '1d', 'gpt-4o:1d']);
  assert.equal(budgets.resolve('openai/gpt-4o')!.model, 'gpt-4o');
  assert.equal(budgets.resolve('claude')!.limit, 2);
  assert.equal(budgets.resolve('gpt-4o-mini'), null);
  const single = ModelBudgets.compile({ 'gpt-4o': { budget_limit: 1, time_period: '1h' } })!;
  assert.equal(single.resolve('gpt-4o')!.limit, 1);
  assert.equal(single.resolve('azure/gpt-4o')!.limit, 1);
  assert.equal(single.resolve('gpt-4o-mini'), null);
  assert.equal(single.resolve('x-gpt-4o'), null);
  assert.equal(single.resolve('openai/x-gpt-4o'), null);
  assert.equal(ModelBudgets.compile({}), null);
  assert.equal(ModelBudgets.compile(null), null);
  assert.equal(modelMaxBudgetProblem({ 'gpt-4o': { budget_limit: 1, time_period: '1d' } }), null);
  assert.match(modelMaxBudgetProblem({ 'gpt-4o': { budget_limit: 1 } })!, /time_period/);
  assert.match(modelMaxBudgetProblem({ 'gpt-4o': { budget_limit: -1, time_period: '1d' } })!, /non-negative/);
  assert.match(modelMaxBudgetProblem([1])!, /object/);
});

test('periods are aligned in UTC so every instance names the same one', () => {
  const t = Date.UTC(2026, 4, 13, 15, 42, 7); // a Wednesday
  assert.deepEqual(periodOf(t, '1d'), [Date.UTC(2026, 4, 13), Date.UTC(2026, 4, 14)]);
  assert.deepEqual(periodOf(t, '1h'), [Date.UTC(2026, 4, 13, 15), Date.UTC(2026, 4, 13, 16)]);
  assert.deepEqual(periodOf(t, '30s'), [Date.UTC(2026, 4, 13, 15, 42, 0), Date.UTC(2026, 4, 13, 15, 42, 30)]);
  assert.deepEqual(periodOf(t, '1w'), [Date.UTC(2026, 4, 11), Date.UTC(2026, 4, 18)]); // Monday to Monday
  assert.deepEqual(periodOf(t, '1mo'), [Date.UTC(2026, 4, 1), Date.UTC(2026, 5, 1)]);
  assert.deepEqual(periodOf(t, '3mo'), [Date.UTC(2026, 3, 1), Date.UTC(2026, 6, 1)]);
  const [start, end] = periodOf(t, '7d');
  assert.ok(start <= t && t < end && end - start === 7 * 86_400_000);
});

test('a spend window rolls over at the end of its period', () => {
  const window = new ModelSpendWindow('key:k:gpt-4o:1s', '1s');
  window.charge(0.25, 1_000);
  window.charge(0.25, 1_500);
  window.shared = 1;
  assert.equal(window.spend(), 1.5);
  window.roll(1_999);
  assert.equal(window.spend(), 1.5);
  window.roll(2_000);
  assert.equal(window.spend(), 0);
  assert.equal(window.periodStart, 2_000);
});

// One suite every routing strategy runs (Hono's model), plus each strategy's own distribution, seeded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../random-source.js';
import type { RoutingStrategy } from '../strategy.js';
import { testCandidates } from '../test-deployments.js';
import { costBased, latencyBased, leastBusy, simpleShuffle, usageBased } from './index.js';

const STRATEGIES: RoutingStrategy[] = [simpleShuffle, leastBusy, latencyBased(0), usageBased, costBased];

function histogram(strategy: RoutingStrategy, candidates = testCandidates(4), draws = 4000, seed = 42): Map<string, number> {
  const random = seededRandom(seed);
  const counts = new Map<string, number>();
  for (let index = 0; index < draws; index++) {
    const picked = strategy.pick(candidates, candidates.length, random, 0)!;
    counts.set(picked.deployment.id, (counts.get(picked.deployment.id) ?? 0) + 1);
  }
  return counts;
}

/** Pearson's chi-square statistic against expected shares. */
function chiSquare(counts: Map<string, number>, expected: Record<string, number>, draws: number): number {
  let sum = 0;
  for (const [id, share] of Object.entries(expected)) {
    const want = share * draws;
    const got = counts.get(id) ?? 0;
    sum += (got - want) ** 2 / want;
  }
  return sum;
}

for (const strategy of STRATEGIES) {
  describe(`strategy ${strategy.name}: shared cases`, () => {
    test('no candidates → null; one candidate → that one', () => {
      const candidates = testCandidates(3);
      assert.equal(strategy.pick(candidates, 0, Math.random, 0), null);
      assert.equal(strategy.pick(candidates, 1, Math.random, 0), candidates[0]);
    });

    test('only ever picks among the first `count` candidates', () => {
      const candidates = testCandidates(6);
      const random = seededRandom(7);
      for (let index = 0; index < 500; index++) {
        const picked = strategy.pick(candidates, 3, random, 0)!;
        assert.ok(candidates.indexOf(picked) < 3, picked.deployment.id);
      }
    });

    test('with equal deployments and equal state every candidate gets a fair share (seeded)', () => {
      const counts = histogram(strategy);
      // 3 degrees of freedom: 16.27 is the 0.1% critical value, so a fair picker fails this about once in 1,000 seeds.
      assert.ok(chiSquare(counts, { d0: 0.25, d1: 0.25, d2: 0.25, d3: 0.25 }, 4000) < 16.27, JSON.stringify([...counts]));
    });

    test('the same seed gives the same sequence', () => {
      assert.deepEqual([...histogram(strategy, testCandidates(4), 200, 9)], [...histogram(strategy, testCandidates(4), 200, 9)]);
    });
  });
}

describe('strategy-specific behaviour', () => {
  test('simple-shuffle follows weight, else rpm, else tpm', () => {
    const byWeight = histogram(simpleShuffle, testCandidates(3, (index) => ({ weight: [1, 2, 7][index] })), 10_000);
    assert.ok(chiSquare(byWeight, { d0: 0.1, d1: 0.2, d2: 0.7 }, 10_000) < 13.82, JSON.stringify([...byWeight]));
    const byRpm = histogram(simpleShuffle, testCandidates(2, (index) => ({ rpm: [100, 300][index] })), 10_000);
    assert.ok(chiSquare(byRpm, { d0: 0.25, d1: 0.75 }, 10_000) < 10.83, JSON.stringify([...byRpm]));
    const byTpm = histogram(simpleShuffle, testCandidates(2, (index) => ({ tpm: [9000, 1000][index] })), 10_000);
    assert.ok(chiSquare(byTpm, { d0: 0.9, d1: 0.1 }, 10_000) < 10.83, JSON.stringify([...byTpm]));
  });

  test('least-busy picks the deployment with the fewest requests in flight', () => {
    const candidates = testCandidates(3);
    candidates[0]!.state.inFlight = 4;
    candidates[1]!.state.inFlight = 1;
    candidates[2]!.state.inFlight = 2;
    assert.equal(leastBusy.pick(candidates, 3, seededRandom(1), 0), candidates[1]);
  });

  test('latency-based picks the fastest, and the buffer spreads load over near-fastest ones', () => {
    const candidates = testCandidates(3);
    candidates[0]!.state.recordLatency(100);
    candidates[1]!.state.recordLatency(50);
    candidates[2]!.state.recordLatency(55);
    assert.equal(latencyBased(0).pick(candidates, 3, seededRandom(1), 0), candidates[1]);
    const spread = histogram(latencyBased(0.2), candidates, 2000);
    assert.equal(spread.get('d0'), undefined);
    assert.ok(chiSquare(spread, { d1: 0.5, d2: 0.5 }, 2000) < 10.83, JSON.stringify([...spread]));
  });

  test('latency-based tries deployments without samples first', () => {
    const candidates = testCandidates(2);
    candidates[0]!.state.recordLatency(10);
    assert.equal(latencyBased(0).pick(candidates, 2, seededRandom(1), 0), candidates[1]);
  });

  test('usage-based skips deployments over rpm/tpm and prefers the least used', () => {
    const candidates = testCandidates(3, (index) => ({ rpm: 10, tpm: [1000, 1000, 2000][index] }));
    candidates[0]!.state.requestsThisMinute = 10;
    candidates[1]!.state.tokensThisMinute = 600;
    candidates[2]!.state.tokensThisMinute = 700;
    assert.equal(usageBased.pick(candidates, 3, seededRandom(1), 0), candidates[1]);
    assert.equal(usageBased.pick(candidates, 3, seededRandom(1), 450), candidates[2]);
    assert.equal(usageBased.pick(candidates, 3, seededRandom(1), 1500), null);
  });

  test('cost-based picks the cheapest deployment per token', () => {
    const candidates = testCandidates(3, (index) => ({ input_cost_per_token: [3e-6, 1e-6, 2e-6][index], output_cost_per_token: 1e-6 }));
    assert.equal(costBased.pick(candidates, 3, seededRandom(1), 0), candidates[1]);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRerankRequest } from './rerank-request.js';
import { rerankWireOf, toCohereAnswer } from './rerank-wire.js';

const request = readRerankRequest({ model: 'r', query: 'cats', documents: ['dogs', { text: 'cats' }], top_n: 1, return_documents: true });

test('each provider gets its own request body', () => {
  assert.deepEqual(rerankWireOf('cohere').buildBody(request, 'rerank-v3.5'), { model: 'rerank-v3.5', query: 'cats', documents: ['dogs', 'cats'], top_n: 1 });
  assert.equal(rerankWireOf('voyage').buildBody(request, 'rerank-2').top_k, 1);
  assert.equal(rerankWireOf('jina_ai').buildBody(request, 'jina-reranker').top_n, 1);
  const bedrock = rerankWireOf('bedrock').buildBody(request, 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0');
  assert.deepEqual((bedrock.sources as unknown[]).length, 2);
  assert.equal(rerankWireOf('bedrock').path, '/rerank');
});

test('answers come back in Cohere shape with documents when asked', () => {
  const voyage = toCohereAnswer(rerankWireOf('voyage'), { object: 'list', data: [{ index: 1, relevance_score: 0.9 }], usage: { total_tokens: 12 } }, request, 'id1');
  assert.deepEqual(voyage.body.results, [{ index: 1, relevance_score: 0.9, document: { text: 'cats' } }]);
  assert.equal(voyage.billing.tokens, 12);
  const bedrock = toCohereAnswer(rerankWireOf('bedrock'), { results: [{ index: 0, relevanceScore: 0.5 }] }, request, 'id2');
  assert.equal((bedrock.body.results as Array<{ relevance_score: number }>)[0]!.relevance_score, 0.5);
  assert.equal(bedrock.billing.searchUnits, 1);
  const cohere = toCohereAnswer(rerankWireOf('cohere'), { results: [{ index: 0, relevance_score: 0.2 }], meta: { billed_units: { search_units: 1 } } }, request, 'id3');
  assert.equal(cohere.billing.searchUnits, 1);
});

test('bad input and bad answers are errors in the contract', () => {
  assert.throws(() => readRerankRequest({ query: 'x', documents: [] }), (e: { status: number; param: string }) => e.status === 400 && e.param === 'documents');
  assert.throws(() => readRerankRequest({ query: 'x', documents: ['a'], top_n: 0 }), (e: { param: string }) => e.param === 'top_n');
  assert.throws(() => toCohereAnswer(rerankWireOf('jina'), { results: [{ index: 7, relevance_score: 1 }] }, request, 'x'), (e: { status: number }) => e.status === 502);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inferMode } from './model-mode.js';

test('inferMode follows LiteLLM naming conventions', () => {
  const cases: Array<[string, string]> = [
    ['dall-e-3', 'image_generation'],
    ['gpt-image-1', 'image_generation'],
    ['tts-1-hd', 'audio_speech'],
    ['gpt-4o-mini-tts', 'audio_speech'],
    ['whisper-1', 'audio_transcription'],
    ['gpt-4o-transcribe', 'audio_transcription'],
    ['omni-moderation-latest', 'moderation'],
    ['text-moderation-stable', 'moderation'],
    ['rerank-v3.5', 'rerank'],
    ['jina-reranker-v2-base-multilingual', 'rerank'],
    ['text-embedding-3-small', 'embedding'],
    ['embed-english-v3.0', 'embedding'],
    ['gpt-4o', 'chat'],
    ['amazon.rerank-v1:0', 'rerank'],
  ];
  for (const [model, mode] of cases) assert.equal(inferMode(model), mode, model);
});

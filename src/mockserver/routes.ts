// The mock's whole HTTP surface in one table: fixed paths in a map, provider paths with ids parsed by string ops.
// (Not here: `/mock/…` control endpoints (control.ts) and the logging-callback sink (callback-sink.ts), answered first.)
import { handleChat } from './openai/chat.js';
import { handleCompletions } from './openai/completions.js';
import { handleEmbeddings } from './openai/embeddings.js';
import { azureProtocol, openaiProtocol } from './openai/errors.js';
import { handleModels } from './openai/models.js';
import { handleResponses } from './openai/responses.js';
import { anthropicProtocol } from './anthropic/errors.js';
import { handleCountTokens as anthropicCountTokens, handleMessages } from './anthropic/messages.js';
import { handleBatchEmbed, handleCountTokens as geminiCountTokens, handleEmbedContent } from './gemini/embed.js';
import { geminiProtocol, vertexProtocol } from './gemini/errors.js';
import { handleGenerate, handleStreamGenerate } from './gemini/generate.js';
import { handlePredict } from './gemini/predict.js';
import { handleConverse } from './bedrock/converse.js';
import { handleConverseStream } from './bedrock/converse-stream.js';
import { bedrockProtocol } from './bedrock/errors.js';
import { handleInvoke } from './bedrock/invoke.js';
import { handleCohereChat } from './cohere/chat.js';
import { handleCohereEmbed, handleRerank } from './cohere/embed.js';
import { cohereProtocol } from './cohere/errors.js';
import { handleOllamaChat } from './ollama/chat.js';
import { handleOllamaEmbed, handleTags } from './ollama/embed.js';
import { ollamaProtocol } from './ollama/errors.js';
import { handleSpeech, handleTranscription, handleTranslation } from './openai/audio.js';
import { handleBatchById, handleBatchCreate, handleBatchList, handleFileById, handleFileList, handleFileUpload } from './openai/files.js';
import { handleImageEdit, handleImageGeneration } from './openai/images.js';
import { handleModerations } from './openai/moderations.js';
import { handleRerankCompat } from './cohere/rerank-compat.js';
import type { Handler, Route, WireProtocol } from './types.js';

type Entry = [method: string, path: string, protocol: WireProtocol, handler: Handler];

const FIXED: Entry[] = [
  ...openaiPaths('POST', '/chat/completions', handleChat),
  ...openaiPaths('POST', '/completions', handleCompletions),
  ...openaiPaths('POST', '/embeddings', handleEmbeddings),
  ...openaiPaths('POST', '/responses', handleResponses),
  ...openaiPaths('GET', '/models', handleModels),
  ...openaiPaths('POST', '/images/generations', handleImageGeneration),
  ...openaiPaths('POST', '/images/edits', handleImageEdit),
  ...openaiPaths('POST', '/audio/speech', handleSpeech),
  ...openaiPaths('POST', '/audio/transcriptions', handleTranscription),
  ...openaiPaths('POST', '/audio/translations', handleTranslation),
  ...openaiPaths('POST', '/moderations', handleModerations),
  ...openaiPaths('POST', '/files', handleFileUpload),
  ...openaiPaths('GET', '/files', handleFileList),
  ...openaiPaths('POST', '/batches', handleBatchCreate),
  ...openaiPaths('GET', '/batches', handleBatchList),
  ...openaiPaths('POST', '/rerank', handleRerankCompat),
  ['POST', '/openai/files', azureProtocol, handleFileUpload],
  ['GET', '/openai/files', azureProtocol, handleFileList],
  ['POST', '/openai/batches', azureProtocol, handleBatchCreate],
  ['GET', '/openai/batches', azureProtocol, handleBatchList],
  ['POST', '/v1/messages', anthropicProtocol, handleMessages],
  ['POST', '/v1/messages/count_tokens', anthropicProtocol, anthropicCountTokens],
  ['POST', '/v2/chat', cohereProtocol, handleCohereChat],
  ['POST', '/v2/embed', cohereProtocol, handleCohereEmbed],
  ['POST', '/v2/rerank', cohereProtocol, handleRerank],
  ['POST', '/api/chat', ollamaProtocol, handleOllamaChat],
  ['POST', '/api/embed', ollamaProtocol, handleOllamaEmbed],
  ['GET', '/api/tags', ollamaProtocol, handleTags],
];

/** OpenAI-compatible clients use both `/v1/x` and bare `/x` base URLs. */
function openaiPaths(method: string, path: string, handler: Handler): Entry[] {
  return [
    [method, `/v1${path}`, openaiProtocol, handler],
    [method, path, openaiProtocol, handler],
  ];
}

const AZURE_PREFIX = '/openai/deployments/';
const AZURE_ACTIONS: ReadonlyMap<string, Handler> = new Map([
  ['chat/completions', handleChat],
  ['completions', handleCompletions],
  ['embeddings', handleEmbeddings],
  ['images/generations', handleImageGeneration],
  ['images/edits', handleImageEdit],
  ['audio/speech', handleSpeech],
  ['audio/transcriptions', handleTranscription],
  ['audio/translations', handleTranslation],
]);

/** `{model}:{action}` methods shared by Gemini and Vertex AI. */
const GOOGLE_ACTIONS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['generateContent', handleGenerate],
  ['streamGenerateContent', handleStreamGenerate],
  ['countTokens', geminiCountTokens],
  ['embedContent', handleEmbedContent],
  ['batchEmbedContents', handleBatchEmbed],
  ['predict', handlePredict],
]);
const GEMINI_PREFIXES = ['/v1beta/models/', '/v1/models/', '/v1alpha/models/'];
const VERTEX_PREFIXES = ['/v1/projects/', '/v1beta1/projects/'];
const VERTEX_MODELS = '/publishers/google/models/';

const BEDROCK_PREFIX = '/model/';
const BEDROCK_ACTIONS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['converse', handleConverse],
  ['converse-stream', handleConverseStream],
  ['invoke', handleInvoke],
]);

const MAX_CACHED = 4096;

export class RouteTable {
  private readonly fixed = new Map<string, Route>();
  /** Parsed provider paths (they embed model ids), so each distinct path is parsed once. */
  private readonly parsed = new Map<string, Route | null>();

  constructor() {
    for (const [method, path, protocol, handler] of FIXED) {
      this.fixed.set(`${method} ${path}`, { protocol, handler, pathModel: '' });
    }
  }

  resolve(method: string, path: string): Route | undefined {
    const key = `${method} ${path}`;
    const fixed = this.fixed.get(key);
    if (fixed !== undefined) return fixed;
    let route = this.parsed.get(key);
    if (route === undefined) {
      route = objectRoute(method, path) ?? (method === 'POST' ? (parseProviderPath(path) ?? null) : null);
      if (this.parsed.size >= MAX_CACHED) this.parsed.clear();
      this.parsed.set(key, route);
    }
    return route ?? undefined;
  }
}

/** `/v1/files/{id}[/content]` and `/v1/batches/{id}[/cancel]` (also bare and Azure's `/openai/…`). */
function objectRoute(method: string, path: string): Route | null {
  const azure = path.startsWith('/openai/');
  const protocol = azure ? azureProtocol : openaiProtocol;
  const rest = azure ? path.slice(7) : path.startsWith('/v1/') ? path.slice(3) : path;
  if (rest.startsWith('/files/') && rest.length > 7) {
    const ok = rest.endsWith('/content') ? method === 'GET' : method === 'GET' || method === 'DELETE';
    return ok ? { protocol, handler: handleFileById, pathModel: '' } : null;
  }
  if (rest.startsWith('/batches/') && rest.length > 9) {
    const ok = rest.endsWith('/cancel') ? method === 'POST' : method === 'GET';
    return ok ? { protocol, handler: handleBatchById, pathModel: '' } : null;
  }
  return null;
}

function parseProviderPath(path: string): Route | undefined {
  if (path.startsWith(AZURE_PREFIX)) return azureRoute(path);
  if (path.startsWith(BEDROCK_PREFIX)) return bedrockRoute(path);
  for (const prefix of GEMINI_PREFIXES) {
    if (path.startsWith(prefix)) return googleRoute(path, prefix.length, geminiProtocol);
  }
  for (const prefix of VERTEX_PREFIXES) {
    if (!path.startsWith(prefix)) continue;
    const at = path.indexOf(VERTEX_MODELS, prefix.length);
    return at < 0 ? undefined : googleRoute(path, at + VERTEX_MODELS.length, vertexProtocol);
  }
  return undefined;
}

/** /model/{modelId}/{action}; the id is URL-encoded when it holds ':' or an ARN's '/'. */
function bedrockRoute(path: string): Route | undefined {
  const slash = path.lastIndexOf('/');
  if (slash <= BEDROCK_PREFIX.length) return undefined;
  const handler = BEDROCK_ACTIONS.get(path.slice(slash + 1));
  if (handler === undefined) return undefined;
  return { protocol: bedrockProtocol, handler, pathModel: safeDecode(path.slice(BEDROCK_PREFIX.length, slash)) };
}

/** `{model}:{action}` starting at `start`. */
function googleRoute(path: string, start: number, protocol: WireProtocol): Route | undefined {
  const colon = path.indexOf(':', start);
  if (colon < 0) return undefined;
  const handler = GOOGLE_ACTIONS.get(path.slice(colon + 1));
  if (handler === undefined) return undefined;
  return { protocol, handler, pathModel: safeDecode(path.slice(start, colon)) };
}

/** /openai/deployments/{deployment}/{action} */
function azureRoute(path: string): Route | undefined {
  const slash = path.indexOf('/', AZURE_PREFIX.length);
  if (slash < 0) return undefined;
  const handler = AZURE_ACTIONS.get(path.slice(slash + 1));
  if (handler === undefined) return undefined;
  return { protocol: azureProtocol, handler, pathModel: safeDecode(path.slice(AZURE_PREFIX.length, slash)) };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

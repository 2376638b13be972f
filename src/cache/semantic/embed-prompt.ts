// Embeds a prompt for the semantic cache through Sluice's own routing: the configured embedding model group,
// called over the same undici pools as every upstream request (never over HTTP to ourselves).
import type { Deployment } from '../../config/deployment.js';
import type { ModelGroup } from '../../config/snapshot.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';
import { prepareUpstreamBody } from '../../dataplane/prepare-upstream-body.js';
import type { UpstreamPools } from '../../dataplane/upstream-pools.js';
import { mockEmbeddingVector } from '../../providers/mock/mock-response.js';
import { bufferedCall } from './buffered-call.js';

/** The text a semantic cache compares: every message's text (or the prompt), joined. */
export function promptTextOf(body: JsonObject): string {
  if (Array.isArray(body.messages)) {
    const parts: string[] = [];
    for (const message of body.messages) {
      if (!isJsonObject(message)) continue;
      const content = message.content;
      if (typeof content === 'string') parts.push(content);
      else if (Array.isArray(content)) for (const part of content) if (isJsonObject(part) && typeof part.text === 'string') parts.push(part.text);
    }
    return parts.join('\n');
  }
  const prompt = body.prompt;
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt)) return prompt.filter((item) => typeof item === 'string').join('\n');
  return '';
}

function vectorOf(value: JsonValue | undefined): Float32Array | null {
  if (Array.isArray(value)) return Float32Array.from(value as number[]);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  return null;
}

async function embedUpstream(deployment: Deployment, pools: UpstreamPools, text: string, timeoutMs: number): Promise<Float32Array | null> {
  const body = prepareUpstreamBody({ model: deployment.upstreamModel, input: text }, deployment, { dropParams: true, maxTokensCap: null });
  const request = deployment.adapter!.buildRequest('embedding', body, deployment.prepared!);
  const response = await bufferedCall(pools.get(request.origin), {
    origin: request.origin, path: request.path, method: request.method, headers: request.headers, body: request.body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
  });
  if (response.status >= 400) return null;
  const payload = JSON.parse(response.body.toString('utf8')) as unknown;
  if (!isJsonObject(payload) || !Array.isArray(payload.data)) return null;
  const first = payload.data[0];
  return isJsonObject(first) ? vectorOf(first.embedding) : null;
}

/** A vector for `text`, or null on any failure (the caller then treats the lookup as a miss). */
export async function embedPrompt(group: ModelGroup, pools: UpstreamPools, text: string, timeoutMs: number): Promise<Float32Array | null> {
  // A uniform pick: the embedding call does not go through the router's strategy or cooldowns (docs/caching.md).
  const deployment = group.deployments[Math.floor(Math.random() * group.deployments.length)]!;
  if (deployment.adapter === null || deployment.prepared === null || deployment.mockResponse !== null) {
    return Float32Array.from(mockEmbeddingVector(text, 256));
  }
  try {
    return await embedUpstream(deployment, pools, text, timeoutMs);
  } catch {
    return null;
  }
}

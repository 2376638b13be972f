// Image generation on native wire protocols: Imagen on Gemini/Vertex (`:predict`) and Bedrock image models
// (`/invoke`: Titan/Nova Canvas TEXT_IMAGE, Stability). Answers become OpenAI's `{created, data:[{b64_json}]}`.
import type { Deployment } from '../../config/deployment.js';
import { GatewayError } from '../../core/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';

export interface ImageRequest {
  prompt: string;
  n: number;
  size: string;
}

export interface ImageWire {
  readonly id: 'imagen' | 'bedrock-titan' | 'bedrock-stability';
  /** Appended to the deployment's model path. */
  readonly suffix: string;
  buildBody(request: ImageRequest): JsonObject;
  /** Base64 images from the provider's success body. */
  readImages(body: JsonObject): string[];
}

const ASPECT: Readonly<Record<string, string>> = { '1024x1024': '1:1', '1792x1024': '16:9', '1024x1792': '9:16', '1536x1024': '3:2', '1024x1536': '2:3' };

function badBody(): GatewayError {
  return new GatewayError({ reason: 'upstream', status: 502, message: 'The provider returned an image response Sluice could not read.' });
}

function strings(list: JsonValue | undefined, field: string | null): string[] {
  if (!Array.isArray(list)) throw badBody();
  const out: string[] = [];
  for (const item of list) {
    const value = field === null ? item : isJsonObject(item) ? item[field] : undefined;
    if (typeof value !== 'string') throw badBody();
    out.push(value);
  }
  return out;
}

function dimensions(size: string): { width: number; height: number } {
  const [width, height] = size.split('x').map(Number);
  return { width: width !== undefined && width > 0 ? width : 1024, height: height !== undefined && height > 0 ? height : 1024 };
}

const IMAGEN: ImageWire = {
  id: 'imagen',
  suffix: ':predict',
  buildBody: (request) => ({ instances: [{ prompt: request.prompt }], parameters: { sampleCount: request.n, aspectRatio: ASPECT[request.size] ?? '1:1' } }),
  readImages: (body) => strings(body.predictions, 'bytesBase64Encoded'),
};

const TITAN: ImageWire = {
  id: 'bedrock-titan',
  suffix: '/invoke',
  buildBody: (request) => ({ taskType: 'TEXT_IMAGE', textToImageParams: { text: request.prompt }, imageGenerationConfig: { numberOfImages: request.n, ...dimensions(request.size) } }),
  readImages: (body) => strings(body.images, null),
};

const STABILITY: ImageWire = {
  id: 'bedrock-stability',
  suffix: '/invoke',
  buildBody: (request) => ({ prompt: request.prompt, aspect_ratio: ASPECT[request.size] ?? '1:1', output_format: 'png' }),
  readImages: (body) => strings(body.images, null),
};

/** The image wire for a native deployment, or null when its provider has none (OpenAI-wire deployments never ask). */
export function imageWireOf(deployment: Deployment): ImageWire | null {
  const provider = deployment.provider;
  if (provider === 'gemini' || provider === 'vertex_ai') return IMAGEN;
  if (provider !== 'bedrock') return null;
  return deployment.upstreamModel.includes('stability.') ? STABILITY : TITAN;
}

export function toOpenAIImages(wire: ImageWire, body: JsonObject, created: number): JsonObject {
  return { created, data: wire.readImages(body).map((b64) => ({ b64_json: b64 })) };
}

// The rest of the OpenAI surface as one table: images, audio, moderations, rerank, files and batches.
// Fixed paths live in a Map; file and batch ids are cut out of the path with string operations, never regexes.
import type { ModelMode } from './model-mode.js';

export type SurfaceEndpointName =
  | 'image_generation' | 'image_edit' | 'audio_speech' | 'audio_transcription' | 'audio_translation' | 'moderation' | 'rerank'
  | 'file_upload' | 'file_list' | 'file_retrieve' | 'file_content' | 'file_delete'
  | 'batch_create' | 'batch_list' | 'batch_retrieve' | 'batch_cancel';

export type BodyKind = 'json' | 'multipart' | 'none';

export interface SurfaceEndpoint {
  readonly name: SurfaceEndpointName;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly body: BodyKind;
  /** The mode a model must have; null for files and batches (no model). */
  readonly mode: ModelMode | null;
  /** Path under the provider's OpenAI base (`/images/generations`); `{id}` is filled per request. */
  readonly upstreamPath: string;
  /** Bytes piped to the client as they arrive (speech audio, file content) instead of buffered. */
  readonly streamResponse: boolean;
  /** The route as the client called it, for error messages. */
  readonly publicPath: string;
}

function endpoint(name: SurfaceEndpointName, method: SurfaceEndpoint['method'], body: BodyKind, mode: ModelMode | null, upstreamPath: string, streamResponse = false): SurfaceEndpoint {
  return { name, method, body, mode, upstreamPath, streamResponse, publicPath: `/v1${upstreamPath.replace('{id}', '{id}')}` };
}

const FIXED: readonly SurfaceEndpoint[] = [
  endpoint('image_generation', 'POST', 'json', 'image_generation', '/images/generations'),
  endpoint('image_edit', 'POST', 'multipart', 'image_generation', '/images/edits'),
  endpoint('audio_speech', 'POST', 'json', 'audio_speech', '/audio/speech', true),
  endpoint('audio_transcription', 'POST', 'multipart', 'audio_transcription', '/audio/transcriptions'),
  endpoint('audio_translation', 'POST', 'multipart', 'audio_transcription', '/audio/translations'),
  endpoint('moderation', 'POST', 'json', 'moderation', '/moderations'),
  endpoint('rerank', 'POST', 'json', 'rerank', '/rerank'),
  endpoint('file_upload', 'POST', 'multipart', null, '/files'),
  endpoint('file_list', 'GET', 'none', null, '/files'),
  endpoint('batch_create', 'POST', 'json', null, '/batches'),
  endpoint('batch_list', 'GET', 'none', null, '/batches'),
];

const FILE_RETRIEVE = endpoint('file_retrieve', 'GET', 'none', null, '/files/{id}');
const FILE_DELETE = endpoint('file_delete', 'DELETE', 'none', null, '/files/{id}');
const FILE_CONTENT = endpoint('file_content', 'GET', 'none', null, '/files/{id}/content', true);
const BATCH_RETRIEVE = endpoint('batch_retrieve', 'GET', 'none', null, '/batches/{id}');
const BATCH_CANCEL = endpoint('batch_cancel', 'POST', 'none', null, '/batches/{id}/cancel');

export interface SurfaceMatch {
  endpoint: SurfaceEndpoint;
  /** File or batch id from the path, '' when the route has none. */
  id: string;
  /** Model named by an Azure-style path (`/openai/deployments/{model}/…`), which wins over the body's; '' otherwise. */
  pathModel?: string;
}

const AZURE_PREFIX = '/openai/deployments/';
/** Routes the AzureOpenAI client calls under a deployment path. */
const AZURE_SUFFIXES: readonly string[] = ['/images/generations', '/images/edits', '/audio/speech', '/audio/transcriptions', '/audio/translations'];

/** Result of a path that is ours but called with the wrong method: the methods it does accept. */
export interface SurfaceMethodMismatch {
  allowed: string;
}

export class SurfaceRoutes {
  private readonly fixed = new Map<string, SurfaceEndpoint>();
  private readonly paths = new Map<string, string[]>();

  constructor() {
    for (const entry of FIXED) {
      for (const prefix of ['', '/v1']) this.add(`${prefix}${entry.upstreamPath}`, entry);
    }
    const rerank = FIXED.find((entry) => entry.name === 'rerank')!;
    this.add('/v2/rerank', rerank);
    this.add('/v1/v2/rerank', rerank);
  }

  private add(path: string, entry: SurfaceEndpoint): void {
    this.fixed.set(`${entry.method} ${path}`, entry);
    const methods = this.paths.get(path) ?? [];
    methods.push(entry.method);
    this.paths.set(path, methods);
  }

  /** The endpoint for a method and path (query removed); a mismatch when only the method is wrong; null when not ours. */
  match(method: string, path: string): SurfaceMatch | SurfaceMethodMismatch | null {
    const fixed = this.fixed.get(`${method} ${path}`);
    if (fixed !== undefined) return { endpoint: fixed, id: '' };
    const known = this.paths.get(path);
    if (known !== undefined) return { allowed: known.join(', ') };
    if (path.startsWith(AZURE_PREFIX)) return this.azure(method, path);
    const rest = path.startsWith('/v1/') ? path.slice(3) : path;
    if (rest.startsWith('/files/')) return byId(method, rest.slice(7), FILE_RETRIEVE, FILE_DELETE, FILE_CONTENT, '/content');
    if (rest.startsWith('/batches/')) return byId(method, rest.slice(9), BATCH_RETRIEVE, null, BATCH_CANCEL, '/cancel');
    return null;
  }

  /** `/openai/deployments/{model}/audio/transcriptions` and the other deployment-scoped surface routes. */
  private azure(method: string, path: string): SurfaceMatch | SurfaceMethodMismatch | null {
    for (const suffix of AZURE_SUFFIXES) {
      if (!path.endsWith(suffix)) continue;
      const model = path.slice(AZURE_PREFIX.length, path.length - suffix.length);
      if (model === '' || model.includes('/')) return null;
      const endpoint = this.fixed.get(`POST ${suffix}`)!;
      if (method !== 'POST') return { allowed: 'POST' };
      try {
        return { endpoint, id: '', pathModel: decodeURIComponent(model) };
      } catch {
        return null;
      }
    }
    return null;
  }
}

/** `{id}` → GET retrieve / DELETE delete; `{id}{suffix}` → the action endpoint. */
function byId(method: string, tail: string, retrieve: SurfaceEndpoint, remove: SurfaceEndpoint | null, action: SurfaceEndpoint, suffix: string): SurfaceMatch | SurfaceMethodMismatch | null {
  if (tail.endsWith(suffix)) {
    const id = tail.slice(0, -suffix.length);
    if (!validId(id)) return null;
    return method === action.method ? { endpoint: action, id } : { allowed: action.method };
  }
  if (!validId(tail)) return null;
  if (method === 'GET') return { endpoint: retrieve, id: tail };
  if (remove !== null && method === 'DELETE') return { endpoint: remove, id: tail };
  return { allowed: remove === null ? 'GET' : 'GET, DELETE' };
}

function validId(id: string): boolean {
  if (id === '' || id.length > 256) return false;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    const ok = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 95 || code === 46;
    if (!ok) return false;
  }
  return true;
}

// What kind of model a deployment is (`model_info.mode`, else guessed from its name), and which routes each kind serves.
import type { Deployment } from '../config/deployment.js';

export type ModelMode = 'chat' | 'embedding' | 'image_generation' | 'audio_speech' | 'audio_transcription' | 'moderation' | 'rerank' | 'completion' | 'batch';

const KNOWN_MODES: ReadonlySet<string> = new Set<ModelMode>(['chat', 'embedding', 'image_generation', 'audio_speech', 'audio_transcription', 'moderation', 'rerank', 'completion', 'batch']);

/** LiteLLM's naming conventions, checked in order; the first match wins, anything else is a chat model. */
export function inferMode(model: string): ModelMode {
  const name = model.toLowerCase();
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (base.startsWith('dall-e') || base.startsWith('gpt-image') || base.includes('imagen') || base.includes('stable-diffusion') || base.includes('titan-image') || base.includes('canvas') || base.startsWith('stability.') || base.startsWith('flux')) return 'image_generation';
  if (base.startsWith('tts-') || base.endsWith('-tts') || base.includes('-tts-')) return 'audio_speech';
  if (base.startsWith('whisper') || base.endsWith('-transcribe') || base.includes('-transcribe-')) return 'audio_transcription';
  if (base.includes('moderation')) return 'moderation';
  if (base.includes('rerank')) return 'rerank';
  if (base.includes('embed')) return 'embedding';
  return 'chat';
}

/** `model_info.mode` when it names a known mode, else the mode inferred from the provider's model name. */
export function modeOf(deployment: Deployment): ModelMode {
  const declared = deployment.modelInfo.mode;
  if (typeof declared === 'string' && KNOWN_MODES.has(declared)) return declared as ModelMode;
  return inferMode(deployment.upstreamModel);
}

/** Modes that never answer chat, completion or embedding routes (a chat call to `dall-e-3` is a 400, not an upstream 404). */
export function isNonTextMode(mode: ModelMode): boolean {
  return mode === 'image_generation' || mode === 'audio_speech' || mode === 'audio_transcription' || mode === 'moderation' || mode === 'rerank';
}

const modeCache = new WeakMap<Deployment, ModelMode>();

/**
 * For chat, completion and embedding routes: a 400 naming the model and its mode when the deployment is an
 * image, audio, moderation or rerank model. Cached per deployment, so the hot path pays one WeakMap lookup.
 */
export function textRouteMismatch(deployment: Deployment, model: string, route: string): string | null {
  let mode = modeCache.get(deployment);
  if (mode === undefined) {
    mode = modeOf(deployment);
    modeCache.set(deployment, mode);
  }
  if (!isNonTextMode(mode)) return null;
  return `Model '${model}' has mode '${mode}' and cannot serve ${route}; use the ${mode} route (set model_info.mode on the deployment if the name misleads).`;
}

// Which model groups a failed request falls back to, in LiteLLM's order of precedence.
import type { GatewayError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { RouterSettings } from './router-settings.js';

/** Request-body `fallbacks`: model names, or `{model: name}` objects as LiteLLM also accepts. */
export function requestFallbacks(value: JsonValue | undefined): string[] | null {
  if (!Array.isArray(value)) return null;
  const out: string[] = [];
  for (const entry of value) {
    if (typeof entry === 'string') out.push(entry);
    else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof entry.model === 'string') out.push(entry.model);
  }
  return out;
}

/**
 * The fallback groups for `group` after `error`: context-window errors use `context_window_fallbacks`,
 * content-policy errors `content_policy_fallbacks`; otherwise (or when those name nothing for the group)
 * the request's own `fallbacks`, then `fallbacks` for the group or `*`, then `default_fallbacks`.
 * Plain bad requests (400 other than those two) never fall back: every group would refuse them alike.
 */
export function fallbackGroups(group: string, error: GatewayError, fromRequest: readonly string[] | null, settings: RouterSettings): readonly string[] {
  if (error.reason === 'context_window_exceeded') {
    const list = settings.contextWindowFallbacks.get(group) ?? settings.contextWindowFallbacks.get('*');
    if (list !== undefined) return list;
  } else if (error.reason === 'content_policy_violation') {
    const list = settings.contentPolicyFallbacks.get(group) ?? settings.contentPolicyFallbacks.get('*');
    if (list !== undefined) return list;
  } else if (error.status === 400 || error.reason === 'invalid_request' || error.reason === 'unsupported_param') {
    return [];
  }
  if (fromRequest !== null) return fromRequest;
  return settings.fallbacks.get(group) ?? settings.fallbacks.get('*') ?? settings.defaultFallbacks;
}

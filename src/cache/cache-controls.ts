// Per-request cache controls: the body's `cache` object and the Cache-Control header, limited by the key's allowed list.
import { GatewayError } from '../core/errors.js';
import { isJsonObject, type JsonObject } from '../core/json.js';

export interface CacheControls {
  /** Skip the lookup (still store the fresh answer unless noStore). */
  noCache: boolean;
  noStore: boolean;
  /** Opt in when the cache mode is `default_off`. */
  useCache: boolean;
  ttlSeconds: number | null;
  /** Accept an entry only if it is at most this old. */
  sMaxAgeSeconds: number | null;
  namespace: string | null;
}

/** The names LiteLLM's `allowed_cache_controls` lists. */
export type CacheControlName = 'ttl' | 's-maxage' | 'no-cache' | 'no-store' | 'namespace' | 'use-cache';

export const NO_CONTROLS: Readonly<CacheControls> = Object.freeze({ noCache: false, noStore: false, useCache: false, ttlSeconds: null, sMaxAgeSeconds: null, namespace: null });

function seconds(value: unknown): number | null {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}

function notAllowed(control: string): GatewayError {
  return new GatewayError({ reason: 'auth', status: 403, message: `Not allowed to set ${control} as a cache control. Contact admin to change permissions.` });
}

function check(allowed: ReadonlySet<string> | null, control: CacheControlName): void {
  if (allowed !== null && !allowed.has(control)) throw notAllowed(control);
}

function applyBody(controls: CacheControls, cache: JsonObject, allowed: ReadonlySet<string> | null): void {
  for (const name in cache) {
    // As LiteLLM's cache_control_check: every key of the body's object must be allowed, known or not.
    if (allowed !== null && !allowed.has(name)) throw notAllowed(name);
    const value = cache[name];
    switch (name) {
      case 'no-cache':
        controls.noCache = value === true;
        break;
      case 'no-store':
        controls.noStore = value === true;
        break;
      case 'use-cache':
        controls.useCache = value === true;
        break;
      case 'ttl':
        controls.ttlSeconds = seconds(value);
        break;
      case 's-maxage':
      case 's-max-age':
        controls.sMaxAgeSeconds = seconds(value);
        break;
      case 'namespace':
        controls.namespace = typeof value === 'string' && value !== '' ? value : null;
        break;
      default:
        break;
    }
  }
}

/** `no-cache, no-store, max-age=N, s-maxage=N`, comma-separated, case-insensitive names. */
function applyHeader(controls: CacheControls, header: string, allowed: ReadonlySet<string> | null): void {
  for (const raw of header.split(',')) {
    const part = raw.trim().toLowerCase();
    const equals = part.indexOf('=');
    const name = equals === -1 ? part : part.slice(0, equals).trim();
    const value = equals === -1 ? '' : part.slice(equals + 1).trim();
    if (name === 'no-cache') {
      check(allowed, 'no-cache');
      controls.noCache = true;
    } else if (name === 'no-store') {
      check(allowed, 'no-store');
      controls.noStore = true;
    } else if (name === 'max-age') {
      check(allowed, 'ttl');
      controls.ttlSeconds = seconds(value);
    } else if (name === 's-maxage') {
      check(allowed, 's-maxage');
      controls.sMaxAgeSeconds = seconds(value);
    }
  }
}

/**
 * The hook for virtual keys: a key's `allowed_cache_controls` list as the set `readCacheControls` takes.
 * Null, undefined or empty (LiteLLM's database default) allows every control. Compile once per key, not per request.
 */
export function allowedCacheControlsOf(list: readonly string[] | null | undefined): ReadonlySet<string> | null {
  return list === null || list === undefined || list.length === 0 ? null : new Set(list);
}

/**
 * Reads both sources (the header first, the body's object wins); throws a 401 GatewayError when the key may
 * not use a control it set. `allowed` null: every control allowed.
 */
export function readCacheControls(body: JsonObject, header: string | undefined, allowed: ReadonlySet<string> | null): CacheControls {
  const cache = body.cache;
  const hasBody = isJsonObject(cache);
  const metadata = body.metadata;
  const metaNamespace = isJsonObject(metadata) && typeof metadata.redis_namespace === 'string' ? metadata.redis_namespace : null;
  if (!hasBody && header === undefined && metaNamespace === null) return NO_CONTROLS;
  const controls: CacheControls = { ...NO_CONTROLS };
  if (header !== undefined) applyHeader(controls, header, allowed);
  if (hasBody) applyBody(controls, cache, allowed);
  if (controls.namespace === null) controls.namespace = metaNamespace;
  return controls;
}

// Reads config.yaml as LiteLLM does: `include` files, `environment_variables`, `os.environ/NAME`, then the schema.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, describeValue, formatPath, valueAt, type ConfigProblem } from './config-problem.js';
import { configSchema, type ProxyConfig } from './schema.js';
import { findUnknownKeys } from './unknown-keys.js';

const ENV_PREFIX = 'os.environ/';

export interface LoadedConfig {
  config: ProxyConfig;
  /** Human-readable warnings (unknown keys, unset environment variables), each once. */
  warnings: string[];
  file: string | null;
}

function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '', expected: `a readable file at ${file}`, found: (error as NodeJS.ErrnoException).code ?? 'an error' }], file);
  }
  try {
    return parseYaml(text, { maxAliasCount: 1000 }) ?? {};
  } catch (error) {
    throw new ConfigError([{ path: '', expected: 'valid YAML', found: (error as Error).message.split('\n')[0] ?? 'a parse error' }], file);
  }
}

function asRecord(value: unknown, file: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([{ path: '', expected: 'a mapping at the top level', found: describeValue(value, '') }], file);
  }
  return value as Record<string, unknown>;
}

/** LiteLLM's `include`: each file's `model_list` is appended, its other sections merged key by key. */
function mergeIncludes(root: Record<string, unknown>, file: string): Record<string, unknown> {
  const includes = root.include;
  if (!Array.isArray(includes)) return root;
  const merged: Record<string, unknown> = { ...root };
  for (const entry of includes) {
    if (typeof entry !== 'string') continue;
    const includedFile = resolve(dirname(file), entry);
    const included = asRecord(readYamlFile(includedFile), includedFile);
    for (const [key, value] of Object.entries(included)) {
      const existing = merged[key];
      if (Array.isArray(existing) && Array.isArray(value)) merged[key] = [...existing, ...value];
      else if (isPlainObject(existing) && isPlainObject(value)) merged[key] = { ...existing, ...value };
      else if (existing === undefined) merged[key] = value;
    }
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Replaces every `os.environ/NAME` string; an unset variable removes the key and is warned about. */
export function resolveEnvReferences(value: unknown, env: NodeJS.ProcessEnv, warnings: string[], path = ''): unknown {
  if (typeof value === 'string' && value.startsWith(ENV_PREFIX)) {
    const name = value.slice(ENV_PREFIX.length);
    const resolved = env[name];
    if (resolved === undefined) warnings.push(`${path || '(root)'}: environment variable ${name} is not set`);
    return resolved;
  }
  if (Array.isArray(value)) return value.map((item, index) => resolveEnvReferences(item, env, warnings, `${path}[${index}]`));
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      const resolved = resolveEnvReferences(child, env, warnings, path === '' ? key : `${path}.${key}`);
      if (resolved !== undefined) out[key] = resolved;
    }
    return out;
  }
  return value;
}

function expectationOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? 'a non-empty string' : `a value ≥ ${String(issue.minimum)}`;
    case 'too_big':
      return `a value ≤ ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'one of the accepted forms';
    default:
      return issue.message;
  }
}

export function problemsFromZod(error: z.ZodError, raw: unknown): ConfigProblem[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    return { path, expected: expectationOf(issue), found: describeValue(valueAt(raw, issue.path), path) };
  });
}

/** Validates an already-parsed config object (used by the loader and by tests). */
export function validateConfigObject(raw: unknown, env: NodeJS.ProcessEnv = process.env, file?: string): LoadedConfig {
  const warnings: string[] = [];
  const root = asRecord(raw, file ?? 'config');
  if (isPlainObject(root.environment_variables)) {
    for (const [name, value] of Object.entries(root.environment_variables)) env[name] = String(value);
  }
  const resolved = resolveEnvReferences(root, env, warnings);
  const parsed = configSchema.safeParse(resolved);
  if (!parsed.success) throw new ConfigError(problemsFromZod(parsed.error, resolved), file);
  for (const path of findUnknownKeys(configSchema, resolved)) warnings.push(`${path}: unknown or unsupported key, ignored`);
  return { config: parsed.data, warnings, file: file ?? null };
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const absolute = resolve(file);
  const root = mergeIncludes(asRecord(readYamlFile(absolute), absolute), absolute);
  return validateConfigObject(root, env, file);
}

// Resolves the provider-specific `litellm_params` an adapter declares (vertex_*, aws_*), falling back to env vars.
import type { LitellmParams } from './schema.js';

/** Declared per provider in the registry: param name → environment variables tried in order when it is absent. */
export type ParamEnv = Readonly<Record<string, readonly string[]>>;

export function resolveProviderParams(params: LitellmParams, paramEnv: ParamEnv | undefined, env: NodeJS.ProcessEnv): Record<string, string> | undefined {
  if (paramEnv === undefined) return undefined;
  const given = params as Readonly<Record<string, unknown>>;
  const out: Record<string, string> = {};
  for (const name in paramEnv) {
    const value = given[name];
    if (typeof value === 'string' && value !== '') out[name] = value;
    else if (typeof value === 'object' && value !== null) out[name] = JSON.stringify(value);
    else {
      for (const envName of paramEnv[name]!) {
        const fromEnv = env[envName];
        if (fromEnv !== undefined && fromEnv !== '') {
          out[name] = fromEnv;
          break;
        }
      }
    }
  }
  return out;
}

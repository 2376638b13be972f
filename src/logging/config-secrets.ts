// Every secret a config holds (master key, provider keys, database and Redis passwords), for the log scrubber.
import type { ProxyConfig } from '../config/schema.js';

const SECRET_FIELDS: ReadonlySet<string> = new Set([
  'api_key', 'master_key', 'aws_secret_access_key', 'aws_session_token', 'aws_access_key_id', 'azure_ad_token', 'vertex_credentials',
  'password', 'redis_password', 'database_url', 'redis_url', 'client_secret', 'azure_password',
]);

const SECRET_ENV = ['LITELLM_MASTER_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'AZURE_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'DATABASE_URL', 'REDIS_PASSWORD', 'REDIS_URL', 'LANGFUSE_SECRET_KEY'];

function walk(value: unknown, key: string, out: Set<string>): void {
  if (typeof value === 'string') {
    if (SECRET_FIELDS.has(key) && value !== '') out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) walk(item, key, out);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [childKey, child] of Object.entries(value)) {
      if (SECRET_FIELDS.has(childKey) && typeof child === 'object' && child !== null) out.add(JSON.stringify(child));
      walk(child, childKey, out);
    }
  }
}

export function configSecrets(config: ProxyConfig, env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  walk(config, '', out);
  for (const name of SECRET_ENV) {
    const value = env[name];
    if (value !== undefined && value !== '') out.add(value);
  }
  return [...out];
}

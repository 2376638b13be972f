// OpenAI usage → Anthropic usage: input_tokens excludes cache reads, which are reported on their own.
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.js';

function count(value: JsonValue | undefined): number {
  return typeof value === 'number' && value >= 0 ? value : 0;
}

export function anthropicUsage(usage: JsonValue | undefined): JsonObject {
  if (!isJsonObject(usage)) return { input_tokens: 0, output_tokens: 0 };
  const details = usage.prompt_tokens_details;
  const cached = isJsonObject(details) ? count(details.cached_tokens) : 0;
  const prompt = count(usage.prompt_tokens);
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: count(usage.completion_tokens),
    cache_read_input_tokens: cached,
    cache_creation_input_tokens: 0,
  };
}

// Every OpenAI-compatible vendor as one data row: base URL, auth, key env vars and documented quirks.
// One adapter (./adapter.ts) serves them all; adding a vendor is adding a row (STYLE.md practice 2).

export type AuthStyle = 'bearer' | 'api-key-header' | 'none';

export interface VendorQuirks {
  /** Request fields the vendor's API reference says it rejects; 400 unless `drop_params`. */
  unsupportedParams?: readonly string[];
  /** The vendor requires an `api_base` in config (no public default endpoint). */
  requiresApiBase?: boolean;
}

export interface OpenAICompatibleVendor {
  /** LiteLLM's provider prefix, as in `model: groq/llama-3.3-70b-versatile`. */
  id: string;
  /** Default `api_base`, including the version path. Empty when `requiresApiBase`. */
  baseUrl: string;
  auth: AuthStyle;
  /** Environment variables holding the API key, checked in order (LiteLLM's names). */
  apiKeyEnv: readonly string[];
  /** Environment variable that overrides the base URL, where LiteLLM reads one. */
  apiBaseEnv?: string;
  quirks: VendorQuirks;
  /** The public API reference the row was written from. */
  docs: string;
}

const GROQ_UNSUPPORTED = ['logprobs', 'top_logprobs', 'logit_bias'] as const;

export const OPENAI_COMPATIBLE_VENDORS: readonly OpenAICompatibleVendor[] = [
  { id: 'openai', baseUrl: 'https://api.openai.com/v1', auth: 'bearer', apiKeyEnv: ['OPENAI_API_KEY'], apiBaseEnv: 'OPENAI_API_BASE', quirks: {}, docs: 'https://platform.openai.com/docs/api-reference' },
  { id: 'text-completion-openai', baseUrl: 'https://api.openai.com/v1', auth: 'bearer', apiKeyEnv: ['OPENAI_API_KEY'], apiBaseEnv: 'OPENAI_API_BASE', quirks: {}, docs: 'https://platform.openai.com/docs/api-reference/completions' },
  { id: 'custom_openai', baseUrl: '', auth: 'bearer', apiKeyEnv: [], quirks: { requiresApiBase: true }, docs: 'https://docs.litellm.ai/docs/providers/openai_compatible' },
  { id: 'openai_like', baseUrl: '', auth: 'bearer', apiKeyEnv: [], quirks: { requiresApiBase: true }, docs: 'https://docs.litellm.ai/docs/providers/openai_compatible' },
  { id: 'hosted_vllm', baseUrl: '', auth: 'bearer', apiKeyEnv: ['HOSTED_VLLM_API_KEY'], apiBaseEnv: 'HOSTED_VLLM_API_BASE', quirks: { requiresApiBase: true }, docs: 'https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html' },
  { id: 'lm_studio', baseUrl: 'http://localhost:1234/v1', auth: 'bearer', apiKeyEnv: ['LM_STUDIO_API_KEY'], apiBaseEnv: 'LM_STUDIO_API_BASE', quirks: {}, docs: 'https://lmstudio.ai/docs/app/api/endpoints/openai' },
  { id: 'llamafile', baseUrl: 'http://127.0.0.1:8080/v1', auth: 'bearer', apiKeyEnv: ['LLAMAFILE_API_KEY'], apiBaseEnv: 'LLAMAFILE_API_BASE', quirks: {}, docs: 'https://github.com/Mozilla-Ocho/llamafile' },
  { id: 'ollama', baseUrl: 'http://localhost:11434/v1', auth: 'bearer', apiKeyEnv: ['OLLAMA_API_KEY'], apiBaseEnv: 'OLLAMA_API_BASE', quirks: { unsupportedParams: ['logit_bias', 'logprobs', 'top_logprobs', 'n'] }, docs: 'https://github.com/ollama/ollama/blob/main/docs/openai.md' },
  { id: 'groq', baseUrl: 'https://api.groq.com/openai/v1', auth: 'bearer', apiKeyEnv: ['GROQ_API_KEY'], apiBaseEnv: 'GROQ_API_BASE', quirks: { unsupportedParams: GROQ_UNSUPPORTED }, docs: 'https://console.groq.com/docs/openai' },
  { id: 'together_ai', baseUrl: 'https://api.together.xyz/v1', auth: 'bearer', apiKeyEnv: ['TOGETHERAI_API_KEY', 'TOGETHER_API_KEY', 'TOGETHER_AI_API_KEY'], apiBaseEnv: 'TOGETHER_AI_API_BASE', quirks: {}, docs: 'https://docs.together.ai/docs/openai-api-compatibility' },
  { id: 'fireworks_ai', baseUrl: 'https://api.fireworks.ai/inference/v1', auth: 'bearer', apiKeyEnv: ['FIREWORKS_AI_API_KEY', 'FIREWORKS_API_KEY', 'FIREWORKSAI_API_KEY'], apiBaseEnv: 'FIREWORKS_AI_API_BASE', quirks: {}, docs: 'https://docs.fireworks.ai/tools-sdks/openai-compatibility' },
  { id: 'deepseek', baseUrl: 'https://api.deepseek.com/v1', auth: 'bearer', apiKeyEnv: ['DEEPSEEK_API_KEY'], apiBaseEnv: 'DEEPSEEK_API_BASE', quirks: {}, docs: 'https://api-docs.deepseek.com/' },
  { id: 'deepinfra', baseUrl: 'https://api.deepinfra.com/v1/openai', auth: 'bearer', apiKeyEnv: ['DEEPINFRA_API_KEY'], apiBaseEnv: 'DEEPINFRA_API_BASE', quirks: {}, docs: 'https://deepinfra.com/docs/openai_api' },
  { id: 'perplexity', baseUrl: 'https://api.perplexity.ai', auth: 'bearer', apiKeyEnv: ['PERPLEXITYAI_API_KEY', 'PERPLEXITY_API_KEY'], apiBaseEnv: 'PERPLEXITY_API_BASE', quirks: { unsupportedParams: ['logit_bias', 'logprobs', 'top_logprobs', 'n', 'tools', 'tool_choice'] }, docs: 'https://docs.perplexity.ai/api-reference/chat-completions-post' },
  { id: 'xai', baseUrl: 'https://api.x.ai/v1', auth: 'bearer', apiKeyEnv: ['XAI_API_KEY'], apiBaseEnv: 'XAI_API_BASE', quirks: {}, docs: 'https://docs.x.ai/docs/api-reference' },
  { id: 'mistral', baseUrl: 'https://api.mistral.ai/v1', auth: 'bearer', apiKeyEnv: ['MISTRAL_API_KEY'], apiBaseEnv: 'MISTRAL_API_BASE', quirks: { unsupportedParams: ['logit_bias', 'logprobs', 'top_logprobs'] }, docs: 'https://docs.mistral.ai/api/' },
  { id: 'codestral', baseUrl: 'https://codestral.mistral.ai/v1', auth: 'bearer', apiKeyEnv: ['CODESTRAL_API_KEY'], apiBaseEnv: 'CODESTRAL_API_BASE', quirks: { unsupportedParams: ['logit_bias', 'logprobs', 'top_logprobs'] }, docs: 'https://docs.mistral.ai/capabilities/code_generation/' },
  { id: 'cerebras', baseUrl: 'https://api.cerebras.ai/v1', auth: 'bearer', apiKeyEnv: ['CEREBRAS_API_KEY'], apiBaseEnv: 'CEREBRAS_API_BASE', quirks: { unsupportedParams: ['frequency_penalty', 'presence_penalty', 'logit_bias'] }, docs: 'https://inference-docs.cerebras.ai/resources/openai' },
  { id: 'nvidia_nim', baseUrl: 'https://integrate.api.nvidia.com/v1', auth: 'bearer', apiKeyEnv: ['NVIDIA_NIM_API_KEY'], apiBaseEnv: 'NVIDIA_NIM_API_BASE', quirks: {}, docs: 'https://docs.api.nvidia.com/nim/reference/llm-apis' },
  { id: 'sambanova', baseUrl: 'https://api.sambanova.ai/v1', auth: 'bearer', apiKeyEnv: ['SAMBANOVA_API_KEY'], apiBaseEnv: 'SAMBANOVA_API_BASE', quirks: { unsupportedParams: ['logit_bias', 'logprobs', 'top_logprobs', 'n', 'presence_penalty', 'frequency_penalty'] }, docs: 'https://docs.sambanova.ai/cloud/api-reference/endpoints/chat' },
  { id: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1', auth: 'bearer', apiKeyEnv: ['OPENROUTER_API_KEY', 'OR_API_KEY'], apiBaseEnv: 'OPENROUTER_API_BASE', quirks: {}, docs: 'https://openrouter.ai/docs/api-reference/overview' },
  { id: 'github', baseUrl: 'https://models.inference.ai.azure.com', auth: 'bearer', apiKeyEnv: ['GITHUB_API_KEY'], quirks: {}, docs: 'https://docs.github.com/en/github-models' },
  { id: 'nebius', baseUrl: 'https://api.studio.nebius.ai/v1', auth: 'bearer', apiKeyEnv: ['NEBIUS_API_KEY'], apiBaseEnv: 'NEBIUS_API_BASE', quirks: {}, docs: 'https://docs.nebius.com/studio/inference/api' },
  { id: 'moonshot', baseUrl: 'https://api.moonshot.ai/v1', auth: 'bearer', apiKeyEnv: ['MOONSHOT_API_KEY'], apiBaseEnv: 'MOONSHOT_API_BASE', quirks: {}, docs: 'https://platform.moonshot.ai/docs/api/chat' },
  { id: 'dashscope', baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', auth: 'bearer', apiKeyEnv: ['DASHSCOPE_API_KEY'], apiBaseEnv: 'DASHSCOPE_API_BASE', quirks: {}, docs: 'https://www.alibabacloud.com/help/en/model-studio/compatibility-of-openai-with-dashscope' },
  { id: 'novita', baseUrl: 'https://api.novita.ai/v3/openai', auth: 'bearer', apiKeyEnv: ['NOVITA_API_KEY'], apiBaseEnv: 'NOVITA_API_BASE', quirks: {}, docs: 'https://novita.ai/docs/guides/llm-api' },
  { id: 'hyperbolic', baseUrl: 'https://api.hyperbolic.xyz/v1', auth: 'bearer', apiKeyEnv: ['HYPERBOLIC_API_KEY'], apiBaseEnv: 'HYPERBOLIC_API_BASE', quirks: {}, docs: 'https://docs.hyperbolic.xyz/docs/rest-api' },
  { id: 'featherless_ai', baseUrl: 'https://api.featherless.ai/v1', auth: 'bearer', apiKeyEnv: ['FEATHERLESS_AI_API_KEY', 'FEATHERLESS_API_KEY'], apiBaseEnv: 'FEATHERLESS_AI_API_BASE', quirks: { unsupportedParams: ['tools', 'tool_choice', 'logit_bias'] }, docs: 'https://featherless.ai/docs/api-overview-and-common-options' },
  { id: 'lambda_ai', baseUrl: 'https://api.lambda.ai/v1', auth: 'bearer', apiKeyEnv: ['LAMBDA_API_KEY'], apiBaseEnv: 'LAMBDA_API_BASE', quirks: {}, docs: 'https://docs.lambda.ai/public-cloud/lambda-inference-api/' },
  { id: 'friendliai', baseUrl: 'https://api.friendli.ai/serverless/v1', auth: 'bearer', apiKeyEnv: ['FRIENDLIAI_API_KEY', 'FRIENDLI_TOKEN'], apiBaseEnv: 'FRIENDLI_API_BASE', quirks: {}, docs: 'https://friendli.ai/docs/openapi/serverless/chat-completions' },
  { id: 'volcengine', baseUrl: 'https://ark.cn-beijing.volces.com/api/v3', auth: 'bearer', apiKeyEnv: ['VOLCENGINE_API_KEY', 'ARK_API_KEY'], apiBaseEnv: 'VOLCENGINE_API_BASE', quirks: {}, docs: 'https://www.volcengine.com/docs/82379/1298454' },
  { id: 'huggingface', baseUrl: 'https://router.huggingface.co/v1', auth: 'bearer', apiKeyEnv: ['HF_TOKEN', 'HUGGINGFACE_API_KEY'], apiBaseEnv: 'HUGGINGFACE_API_BASE', quirks: {}, docs: 'https://huggingface.co/docs/inference-providers/index' },
  { id: 'nscale', baseUrl: 'https://inference.api.nscale.com/v1', auth: 'bearer', apiKeyEnv: ['NSCALE_API_KEY'], apiBaseEnv: 'NSCALE_API_BASE', quirks: {}, docs: 'https://docs.nscale.com/docs/inference/chat' },
  { id: 'ai21_chat', baseUrl: 'https://api.ai21.com/studio/v1', auth: 'bearer', apiKeyEnv: ['AI21_API_KEY'], apiBaseEnv: 'AI21_API_BASE', quirks: {}, docs: 'https://docs.ai21.com/reference/jamba-15-api-ref' },
  { id: 'galadriel', baseUrl: 'https://api.galadriel.com/v1', auth: 'bearer', apiKeyEnv: ['GALADRIEL_API_KEY'], apiBaseEnv: 'GALADRIEL_API_BASE', quirks: {}, docs: 'https://docs.galadriel.com/api-reference/chat-completion-API' },
  { id: 'jina_ai', baseUrl: 'https://api.jina.ai/v1', auth: 'bearer', apiKeyEnv: ['JINA_AI_API_KEY'], apiBaseEnv: 'JINA_AI_API_BASE', quirks: {}, docs: 'https://jina.ai/reranker/' },
  { id: 'voyage', baseUrl: 'https://api.voyageai.com/v1', auth: 'bearer', apiKeyEnv: ['VOYAGE_API_KEY'], apiBaseEnv: 'VOYAGE_API_BASE', quirks: {}, docs: 'https://docs.voyageai.com/reference/reranker-api' },
  { id: 'azure_ai', baseUrl: '', auth: 'api-key-header', apiKeyEnv: ['AZURE_AI_API_KEY'], apiBaseEnv: 'AZURE_AI_API_BASE', quirks: { requiresApiBase: true }, docs: 'https://learn.microsoft.com/en-us/azure/ai-foundry/model-inference/reference/reference-model-inference-api' },
];

const BY_ID = new Map(OPENAI_COMPATIBLE_VENDORS.map((vendor) => [vendor.id, vendor]));

export function findVendor(id: string): OpenAICompatibleVendor | undefined {
  return BY_ID.get(id);
}

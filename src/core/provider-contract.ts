// The pure contract every provider adapter implements: no sockets, no server types (STYLE.md practice 1).
import type { GatewayError } from './errors.js';
import type { JsonObject } from './json.js';
import type { Operation } from './operation.js';
import type { Usage } from './usage.js';

/** A deployment's connection facts, resolved once at start-up from `litellm_params`. */
export interface DeploymentTarget {
  provider: string;
  /** Model name as the provider knows it (the part after `provider/`). */
  upstreamModel: string;
  /** Base URL as configured or defaulted, e.g. `https://api.openai.com/v1`. */
  apiBase: string;
  apiKey: string | null;
  apiVersion: string | null;
  /** Headers from `litellm_params.extra_headers` / `headers`. */
  extraHeaders: Readonly<Record<string, string>>;
  /**
   * Provider-specific connection settings (`vertex_project`, `aws_region_name`, …) from `litellm_params`,
   * or the environment variables the registry names for them; absent for providers that need none.
   */
  providerParams?: Readonly<Record<string, string>>;
}

/** Where and how to send one upstream call; the shared transport does the I/O. */
export interface UpstreamRequest {
  /** `http(s)://host:port`: selects the connection pool. */
  origin: string;
  /** Path and query, starting with `/`. */
  path: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | Buffer | null;
}

/** Compiled per deployment at start-up so the hot path only concatenates. */
export interface PreparedTarget {
  origin: string;
  /** Path prefix under the origin, without trailing slash (e.g. `/v1`). */
  basePath: string;
  /** Query appended to every path (`?api-version=…` for Azure), or ''. */
  query: string;
  /** Auth and fixed headers, including content-type. */
  headers: Readonly<Record<string, string>>;
  target: DeploymentTarget;
}

/** What a translator needs to know about the request whose answer it rewrites. */
export interface TranslationContext {
  /** Model name reported in OpenAI bodies when the provider's answer names none. */
  model: string;
  /** `stream_options.include_usage`: emit the final usage chunk (usage is tracked either way). */
  includeUsage: boolean;
  /** Unix seconds for `created`. */
  created: number;
}

/**
 * Rewrites one upstream stream into OpenAI SSE text, incrementally: `push` takes raw bytes as they arrive
 * (events may split anywhere) and returns the text to write now, possibly ''. Bad provider output throws a
 * GatewayError; `end` throws when the stream stopped before the provider said it was complete.
 */
export interface StreamTranslator {
  push(chunk: Buffer): string;
  end(): string;
  readonly usage: Usage | null;
}

export interface ProviderAdapter {
  readonly id: string;
  /** Compile a deployment's URL and headers once; throws a message for bad config. */
  prepare(target: DeploymentTarget): PreparedTarget;
  /**
   * Build the upstream call for an OpenAI-shaped body whose `model` is already the upstream model. `encodedBody`, when
   * given (only to adapters with `sendsBodyAsJson`), is `body` as JSON already: the client's bytes with the model spliced in.
   */
  buildRequest(operation: Operation, body: JsonObject, prepared: PreparedTarget, encodedBody?: Buffer): UpstreamRequest;
  /** The upstream body is exactly JSON.stringify(body): the gateway may hand over the client's own bytes instead. */
  readonly sendsBodyAsJson?: boolean;
  /** Map an upstream error response to the gateway's error (status and message preserved). */
  mapError(status: number, bodyText: string, headers: Readonly<Record<string, string | string[] | undefined>>): GatewayError;
  /** Native wire protocols only: the provider's success body as the OpenAI body. Throws a GatewayError on bad output. */
  parseResponse?(operation: Operation, body: Buffer, ctx: TranslationContext): JsonObject;
  /** Native wire protocols only: a fresh translator for one streamed answer. */
  createStreamTranslator?(operation: Operation, ctx: TranslationContext): StreamTranslator;
  /**
   * Adds credentials that cannot be compiled at start-up (SigV4 signatures, OAuth tokens) to `request.headers`.
   * Returns undefined when done synchronously (the warm path), or a promise when it must wait (signing, first token).
   */
  authorize?(request: UpstreamRequest, prepared: PreparedTarget): Promise<void> | undefined;
}

// Types shared by the mock server's wiring and its per-provider handlers, kept apart so handlers never import the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MultipartBody } from './multipart.js';

export interface MockServerOptions {
  /** 0 = ephemeral (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Delay before response headers (default 0). */
  latencyMs?: number;
  /** Number of content chunks in a streamed answer (default 8). */
  chunks?: number;
  /** Delay between stream chunks (default 0). */
  chunkDelayMs?: number;
  /** 0..1 probability a request gets faultStatus (default 0). */
  faultRate?: number;
  /** Default 500. */
  faultStatus?: number;
  /** Seconds, sent with 429/503 faults when set. */
  retryAfter?: number;
  /** Seed for the fault RNG, so fault sequences are deterministic. */
  seed?: number;
}

export interface MockStats {
  requests: number;
  byPath: Record<string, number>;
}

export interface MockServer {
  port: number;
  /** http://host:port */
  url: string;
  close(): Promise<void>;
  stats(): MockStats;
  reset(): void;
}

/** One recorded upstream request, as returned by GET /mock/last and /mock/requests. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Options with every default applied, fixed at start-up. */
export interface ResolvedOptions {
  port: number;
  host: string;
  latencyMs: number;
  chunks: number;
  chunkDelayMs: number;
  faultRate: number;
  faultStatus: number;
  retryAfter: number | undefined;
  seed: number;
}

/** Per-request behaviour parsed from a `/mock/k=v,.../` path prefix; undefined means "not set". */
export interface Scenario {
  prefix: string;
  status: number | undefined;
  retryAfter: number | undefined;
  latency: number | undefined;
  hang: boolean;
  dropAfter: number | undefined;
  chunks: number | undefined;
  chunkDelay: number | undefined;
  errorAfter: number | undefined;
  failFirst: number | undefined;
  contextWindow: boolean;
  contentPolicy: boolean;
  usage: boolean;
  truncate: boolean;
}

export type MockErrorKind =
  | 'status'
  | 'auth'
  | 'invalid_request'
  | 'not_found'
  | 'context_window'
  | 'content_policy';

/** A provider-neutral error; each wire protocol renders it in its own error format. */
export interface MockError {
  kind: MockErrorKind;
  status: number;
  /** Overrides the protocol's default message for this kind/status. */
  message: string | undefined;
  /** Overrides the protocol's error type/code for this status (e.g. Bedrock's exception name). */
  code?: string;
}

/** Everything a handler needs about one request; built once per request with a fixed shape. */
export class MockContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path without scenario prefix or query string. */
  readonly path: string;
  /** Raw query string without the leading '?'. */
  readonly query: string;
  /** Model or deployment named in the path ('' when the model comes from the body). */
  readonly pathModel: string;
  readonly scenario: Scenario;
  readonly chunks: number;
  readonly chunkDelayMs: number;
  readonly nextId: (prefix: string) => string;
  body: unknown;
  /** Set for multipart/form-data requests (uploads), instead of `body`. */
  multipart: MultipartBody | undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: string,
    pathModel: string,
    scenario: Scenario,
    options: ResolvedOptions,
    nextId: (prefix: string) => string,
  ) {
    this.req = req;
    this.res = res;
    this.path = path;
    this.query = query;
    this.pathModel = pathModel;
    this.scenario = scenario;
    this.chunks = Math.max(1, scenario.chunks ?? options.chunks);
    this.chunkDelayMs = scenario.chunkDelay ?? options.chunkDelayMs;
    this.nextId = nextId;
    this.body = undefined;
    this.multipart = undefined;
  }
}

/** Writes the whole response for one route, or returns an error for the server to render in the route's format. */
export type Handler = (ctx: MockContext) => MockError | void;

/** What differs between providers outside of the happy path: credentials and error shapes. */
export interface WireProtocol {
  readonly name: string;
  /** The error a real provider gives before reading the body: bad credentials, missing required headers. */
  precheck(ctx: MockContext): MockError | undefined;
  /** Writes `error` as a complete response in this provider's format. */
  sendError(ctx: MockContext, error: MockError): void;
}

export interface Route {
  readonly protocol: WireProtocol;
  readonly handler: Handler;
  readonly pathModel: string;
}

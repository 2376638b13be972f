// `sluice mock`: parses flags, runs the mock server and stops it on SIGTERM/SIGINT.
import { startMockServer } from './server.js';
import type { MockServerOptions } from './types.js';

type NumericOption = Exclude<keyof MockServerOptions, 'host'>;

const NUMERIC_FLAGS: ReadonlyMap<string, NumericOption> = new Map<string, NumericOption>([
  ['port', 'port'],
  ['latency-ms', 'latencyMs'],
  ['chunks', 'chunks'],
  ['chunk-delay-ms', 'chunkDelayMs'],
  ['fault-rate', 'faultRate'],
  ['fault-status', 'faultStatus'],
  ['retry-after', 'retryAfter'],
  ['seed', 'seed'],
]);

const USAGE = `Usage: sluice mock [options]

Runs a mock LLM provider server speaking the OpenAI, Azure OpenAI, Anthropic, Gemini/Vertex,
Bedrock, Cohere and Ollama wire formats.

Options (snake_case spellings such as --latency_ms also work):
  --port <n>            port to listen on (default 0 = ephemeral)
  --host <addr>         address to bind (default 127.0.0.1)
  --latency-ms <n>      delay before response headers (default 0)
  --chunks <n>          content chunks per streamed answer (default 8)
  --chunk-delay-ms <n>  delay between stream chunks (default 0)
  --fault-rate <0..1>   probability a request fails with --fault-status (default 0)
  --fault-status <n>    status of random faults (default 500)
  --retry-after <s>     Retry-After seconds sent with 429/503 faults
  --seed <n>            seed of the fault RNG (default 1)
  --help                print this help

Per-request scenarios: prefix a path with /mock/<key>=<value>,.../, e.g.
  POST /mock/status=429,retry_after=2/v1/chat/completions
Keys: status retry_after latency hang drop_after chunks chunk_delay error_after fail_first
      context_window content_policy usage truncate
Control: GET /mock/stats, POST /mock/reset, GET /mock/last, GET /mock/requests
`;

/** Parses `--flag value`, `--flag=value` and snake_case spellings; throws on unknown flags or bad numbers. */
export function parseMockArgs(argv: readonly string[]): MockServerOptions | 'help' {
  const options: MockServerOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq).replaceAll('_', '-');
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`--${name} needs a value`);
    if (name === 'host') {
      options.host = value;
      continue;
    }
    const key = NUMERIC_FLAGS.get(name);
    if (key === undefined) throw new Error(`unknown option --${name}`);
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} expects a number, got "${value}"`);
    options[key] = n;
  }
  return options;
}

/** Starts the server, prints one line with its URL, and resolves once a signal has closed it. */
export async function runMockCli(argv: string[]): Promise<void> {
  const options = parseMockArgs(argv);
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const server = await startMockServer(options);
  process.stdout.write(`sluice mock listening on ${server.url}\n`);
  await new Promise<void>((resolve, reject) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      server.close().then(resolve, reject);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

// Parses the CLI exactly as the contract spells it: LiteLLM's snake_case flags, kebab-case aliases, env defaults.
import type { Role } from '../dataplane/routes.js';

export interface CliOptions {
  command: 'serve' | 'mock';
  config: string | null;
  port: number;
  host: string;
  numWorkers: number;
  detailedDebug: boolean;
  validateConfig: boolean;
  role: Role;
  /** `--prometheus_metrics_port`: also serve /metrics on this port (null: only on the main port). */
  prometheusMetricsPort: number | null;
  /** `--reload`: watch the config file and reload it on change (SIGHUP always reloads). */
  reload: boolean;
  version: boolean;
  help: boolean;
  /** Arguments after `mock`, handed to the mock server's own parser. */
  rest: string[];
}

export class CliError extends Error {}

const BOOLEAN_FLAGS = new Set(['detailed_debug', 'validate_config', 'version', 'help', 'debug', 'reload']);
const VALUE_FLAGS = new Set(['config', 'port', 'host', 'num_workers', 'role', 'prometheus_metrics_port']);
const SHORT_FLAGS: Readonly<Record<string, string>> = { c: 'config', h: 'help', v: 'version', p: 'port' };

function parseInteger(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new CliError(`--${flag} expects a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

function parseRole(text: string): Role {
  if (text === 'all' || text === 'data' || text === 'control') return text;
  throw new CliError(`--role expects all, data or control, got "${text}"`);
}

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  if (argv[0] === 'mock') return { ...defaults(env), command: 'mock', rest: argv.slice(1) };
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)).replaceAll('-', '_');
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else if (arg.startsWith('-') && arg.length === 2 && SHORT_FLAGS[arg[1]!] !== undefined) {
      name = SHORT_FLAGS[arg[1]!]!;
    } else {
      throw new CliError(`Unexpected argument "${arg}". Run sluice --help for usage.`);
    }
    if (BOOLEAN_FLAGS.has(name)) {
      flags.add(name === 'debug' ? 'detailed_debug' : name);
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? argv[++index];
      if (value === undefined) throw new CliError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new CliError(`Unknown option --${name}. Run sluice --help for usage.`);
    }
  }
  const base = defaults(env);
  return {
    ...base,
    config: values.get('config') ?? base.config,
    port: values.has('port') ? parseInteger('port', values.get('port')!, 0, 65535) : base.port,
    host: values.get('host') ?? base.host,
    numWorkers: values.has('num_workers') ? parseInteger('num_workers', values.get('num_workers')!, 1, 256) : base.numWorkers,
    role: values.has('role') ? parseRole(values.get('role')!) : base.role,
    prometheusMetricsPort: values.has('prometheus_metrics_port') ? parseInteger('prometheus_metrics_port', values.get('prometheus_metrics_port')!, 0, 65535) : base.prometheusMetricsPort,
    reload: flags.has('reload'),
    detailedDebug: flags.has('detailed_debug'),
    validateConfig: flags.has('validate_config'),
    version: flags.has('version'),
    help: flags.has('help'),
  };
}

function defaults(env: NodeJS.ProcessEnv): CliOptions {
  return {
    command: 'serve',
    config: env.CONFIG_FILE_PATH ?? null,
    port: env.PORT !== undefined ? parseInteger('port', env.PORT, 0, 65535) : 4000,
    host: env.HOST ?? '0.0.0.0',
    numWorkers: env.NUM_WORKERS !== undefined ? parseInteger('num_workers', env.NUM_WORKERS, 1, 256) : 1,
    detailedDebug: false,
    validateConfig: false,
    role: 'all',
    prometheusMetricsPort: env.PROMETHEUS_METRICS_PORT !== undefined ? parseInteger('prometheus_metrics_port', env.PROMETHEUS_METRICS_PORT, 0, 65535) : null,
    reload: false,
    version: false,
    help: false,
    rest: [],
  };
}

export const USAGE = `Usage: sluice [options]
       sluice mock [--port P] [--latency-ms N] [--chunks N] ...   built-in mock provider

A fast gateway in front of many LLM providers, compatible with LiteLLM's config.yaml and API.

Options:
  -c, --config FILE        LiteLLM config.yaml (default: built-in "mock" model + providers whose keys are in the env)
  --port N                 port to listen on (default 4000, env PORT)
  --host ADDR              address to bind (default 0.0.0.0, env HOST)
  --num_workers N          worker processes sharing the port (default 1, env NUM_WORKERS)
  --role all|data|control  data = LLM routes, control = management API and UI (default all)
  --detailed_debug         debug logging
  --prometheus_metrics_port N  also serve GET /metrics on this port (env PROMETHEUS_METRICS_PORT)
  --reload                 watch the config file and reload it on change (SIGHUP also reloads)
  --validate_config        check the config, print every problem, exit non-zero if any
  --version                print the version
  --help                   this text

Kebab-case spellings (--num-workers, --detailed-debug, --validate-config) are accepted too.`;

// The `sluice` command: parse flags, then serve, validate the config, or run the built-in mock provider.
import { ConfigError } from '../config/config-problem.js';
import { VERSION } from '../core/version.js';
import { enableDebugLogging, flushLogs, logger } from '../logging/logger.js';
import { CliError, USAGE, parseArgs } from './args.js';
import { loadSnapshot } from './load-snapshot.js';
import { runGateway } from './run-gateway.js';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  flushLogs();
  process.exit(1);
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let options;
  try {
    options = parseArgs(argv, env);
  } catch (error) {
    if (error instanceof CliError) fail(`sluice: ${error.message}`);
    throw error;
  }
  if (options.help) return void process.stdout.write(`${USAGE}\n`);
  if (options.version) return void process.stdout.write(`sluice ${VERSION}\n`);
  if (options.command === 'mock') {
    const { runMockCli } = await import('../mockserver/index.js');
    return runMockCli(options.rest);
  }
  if (options.detailedDebug) enableDebugLogging();
  try {
    if (options.validateConfig) {
      const { snapshot, warnings } = loadSnapshot(options.config, env);
      for (const warning of warnings) process.stdout.write(`warning: ${warning}\n`);
      process.stdout.write(`Config OK: ${snapshot.publicModelNames.length} model names, ${snapshot.groups.size} groups.\n`);
      return;
    }
    await runGateway(options, env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') fail(`sluice: port ${options.port} is already in use (--port to choose another)`);
    if (code === 'EACCES') fail(`sluice: not allowed to listen on port ${options.port}`);
    logger.fatal({ err: error }, 'failed to start');
    fail(`sluice: failed to start: ${(error as Error).message}`);
  }
}

// Public entry of the built-in mock provider server (`sluice mock`), used by tests, benchmarks and the quickstart.
export type { MockServer, MockServerOptions, MockStats, RecordedRequest } from './types.js';
export { startMockServer } from './server.js';
export { runMockCli } from './cli.js';

// Shared helpers for tests that talk to the built-in mock provider.
import { startMockServer, type MockServer } from '../../src/mockserver/index.js';

export { startMockServer, type MockServer };

export interface RecordedUpstream {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** The last request the mock received (what the gateway actually sent upstream). */
export async function lastUpstreamRequest(mock: MockServer): Promise<RecordedUpstream> {
  const response = await fetch(`${mock.url}/mock/last`);
  return (await response.json()) as RecordedUpstream;
}

// A local OAuth token endpoint and a matching service-account key, for Vertex AI's JWT-bearer grant in tests.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';

export interface TokenServer {
  url: string;
  /** Token requests received so far. */
  requests: number;
  /** The service-account JSON whose token_uri is this server. */
  serviceAccountJson: string;
  close(): Promise<void>;
}

export async function startTokenServer(expiresIn = 3600): Promise<TokenServer> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      state.requests++;
      const params = new URLSearchParams(body);
      const claims = decodeJwt(params.get('assertion') ?? '');
      const ok = params.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && claims.iss === 'sluice-test@example.iam.gserviceaccount.com';
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { access_token: `ya29.token-${state.requests}`, expires_in: expiresIn, token_type: 'Bearer' } : { error: 'invalid_grant' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  const serviceAccountJson = JSON.stringify({
    type: 'service_account', project_id: 'sluice-test', private_key_id: 'k1', private_key: pem,
    client_email: 'sluice-test@example.iam.gserviceaccount.com', token_uri: url,
  });
  return {
    url,
    get requests() {
      return state.requests;
    },
    serviceAccountJson,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

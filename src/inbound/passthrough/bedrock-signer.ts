// SigV4 for Bedrock pass-through: the client's request re-signed with the gateway's AWS credentials.
// The AWS libraries (~24 MB of heap) load on the first signed call, not at start-up, as the Bedrock adapter's do.
import type { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  region: string;
}

async function createSigner(credentials: AwsCredentials): Promise<SignatureV4> {
  const [{ SignatureV4: Signer }, { Sha256 }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-crypto/sha256-js')]);
  const { accessKeyId, secretAccessKey, sessionToken, region } = credentials;
  return new Signer({
    credentials: sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken },
    region,
    service: 'bedrock',
    sha256: Sha256,
  });
}

export class BedrockSigner {
  private readonly credentials: AwsCredentials;
  private signer: Promise<SignatureV4> | null = null;

  constructor(credentials: AwsCredentials) {
    this.credentials = credentials;
  }

  /** Returns the headers to send: the given ones plus host, x-amz-date, (security token) and authorization. */
  async sign(url: URL, method: string, headers: Record<string, string>, body: Buffer): Promise<Record<string, string>> {
    this.signer ??= createSigner(this.credentials);
    const signer = await this.signer;
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const signed = await signer.sign({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query,
      headers: { ...headers, host: url.host },
      body,
    });
    return signed.headers;
  }
}

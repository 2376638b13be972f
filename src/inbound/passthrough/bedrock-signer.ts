// SigV4 for Bedrock pass-through: the client's request re-signed with the gateway's AWS credentials.
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  region: string;
}

export class BedrockSigner {
  private readonly signer: SignatureV4;

  constructor(credentials: AwsCredentials) {
    const { accessKeyId, secretAccessKey, sessionToken, region } = credentials;
    this.signer = new SignatureV4({
      credentials: sessionToken === undefined ? { accessKeyId, secretAccessKey } : { accessKeyId, secretAccessKey, sessionToken },
      region,
      service: 'bedrock',
      sha256: Sha256,
    });
  }

  /** Returns the headers to send: the given ones plus host, x-amz-date, (security token) and authorization. */
  async sign(url: URL, method: string, headers: Record<string, string>, body: Buffer): Promise<Record<string, string>> {
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) query[name] = value;
    const signed = await this.signer.sign({
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

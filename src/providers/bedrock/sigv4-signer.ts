// SigV4 signing of one Bedrock call with @smithy/signature-v4: done per request (the signature covers time and body).
import type { SignatureV4 } from '@smithy/signature-v4';
import { sha256, signatureV4 } from '../../core/optional-modules.js';
import type { UpstreamRequest } from '../../core/provider-contract.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
}

export class BedrockSigner {
  private readonly signer: SignatureV4;
  private readonly hostname: string;
  private readonly port: number | undefined;
  private readonly protocol: string;

  constructor(origin: string, region: string, credentials: AwsCredentials) {
    const url = new URL(origin);
    this.hostname = url.hostname;
    this.port = url.port === '' ? undefined : Number(url.port);
    this.protocol = url.protocol;
    this.signer = new (signatureV4().SignatureV4)({ credentials, region, service: 'bedrock', sha256: sha256().Sha256 });
  }

  /** Adds authorization, x-amz-date (and x-amz-security-token) to `request.headers`. */
  async sign(request: UpstreamRequest): Promise<void> {
    const host = this.port === undefined ? this.hostname : `${this.hostname}:${this.port}`;
    const signed = await this.signer.sign({
      method: request.method,
      protocol: this.protocol,
      hostname: this.hostname,
      port: this.port,
      path: request.path,
      query: {},
      headers: { host, 'content-type': 'application/json' },
      body: request.body ?? '',
    });
    const headers = request.headers;
    for (const name in signed.headers) if (name !== 'host') headers[name] = signed.headers[name]!;
  }
}

// Loads the AWS libraries (SigV4, event-stream codec: ~24 MB of heap) only in gateways that use Bedrock.
import type * as DecoderModule from './event-stream-decoder.js';
import type * as SignerModule from './sigv4-signer.js';

export interface AwsLibraries {
  signer: typeof SignerModule;
  decoder: typeof DecoderModule;
}

let loaded: AwsLibraries | null = null;
let loading: Promise<AwsLibraries> | null = null;

/** Starts (once) and returns the load; `prepare` calls it so the first request rarely waits. */
export function loadAwsLibraries(): Promise<AwsLibraries> {
  loading ??= Promise.all([import('./sigv4-signer.js'), import('./event-stream-decoder.js')]).then(([signer, decoder]) => {
    loaded = { signer, decoder };
    return loaded;
  });
  return loading;
}

/** The libraries, once `loadAwsLibraries` has settled; every Bedrock call awaits that in `authorize` first. */
export function awsLibraries(): AwsLibraries {
  if (loaded === null) throw new Error('AWS libraries used before loadAwsLibraries() settled');
  return loaded;
}

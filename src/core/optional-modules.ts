// Dependencies that only some configurations use (Redis, Postgres, Bedrock's SigV4 and event streams), loaded the
// first time something needs them. A gateway on its SQLite defaults never holds their code: together they were
// ~8 MB of each process's heap (and ~3 MB of the spend write thread's) whether or not they were configured. All are
// CommonJS packages, so `require` loads them synchronously and callers keep their synchronous constructors.
import { createRequire } from 'node:module';

type IoRedis = typeof import('ioredis');
type NodePostgres = typeof import('pg');
type SignatureV4Module = typeof import('@smithy/signature-v4');
type Sha256Module = typeof import('@aws-crypto/sha256-js');
type EventStreamCodecModule = typeof import('@smithy/eventstream-codec');
type Utf8Module = typeof import('@smithy/util-utf8');

/** `require` keeps each module after its first load; callers ask at construction time, never per request. */
const requireModule = createRequire(import.meta.url);

function load<T>(name: string): T {
  return requireModule(name) as T;
}

export const ioredis = (): IoRedis => load<IoRedis>('ioredis');
export const nodePostgres = (): NodePostgres => load<NodePostgres>('pg');
export const signatureV4 = (): SignatureV4Module => load<SignatureV4Module>('@smithy/signature-v4');
export const sha256 = (): Sha256Module => load<Sha256Module>('@aws-crypto/sha256-js');
export const eventStreamCodec = (): EventStreamCodecModule => load<EventStreamCodecModule>('@smithy/eventstream-codec');
export const utf8 = (): Utf8Module => load<Utf8Module>('@smithy/util-utf8');

// The Redis side of the semantic cache: per bucket, a list of the newest vectors (`{k, v, e}`: key, base64 float32,
// expiry in epoch ms) plus a sequence number, so every instance reads only what the others added since its last look
// and indexes it itself. Redis holds no index: this machine's Redis 7.0 has no vector search module.
import type { Redis } from 'ioredis';

export interface SharedVector {
  key: string;
  vector: Float32Array;
  /** Epoch ms; Infinity when the entry has no TTL (or an older Sluice wrote it without one). */
  expiresAt: number;
}

export interface SharedRead {
  /** The sequence number read up to; the caller passes it back next time. */
  seen: number;
  /** Oldest first. */
  vectors: SharedVector[];
}

/** Per bucket, only the newest this many vectors are kept in Redis. */
export const SHARED_PER_BUCKET = 1_000;
/** Vectors returned per read at most: each costs a decode and an ANN insert (0.2–2 ms at 1,536 dims) in the lookup. */
export const READ_CHUNK = 32;

/**
 * KEYS: list, sequence number. ARGV: seen, chunk, list bound. Returns `{seq}` when nothing is new, else
 * `{newSeen, items}` with the oldest `chunk` unseen items. Atomic, so a push by another instance between reading the
 * number and the list cannot shift what is read. A lower number than `seen` means the bucket expired or was flushed;
 * further back than the list holds, only its newest items are left.
 */
const READ_SCRIPT = `
local seq = tonumber(redis.call('GET', KEYS[2]) or '0')
local seen = tonumber(ARGV[1])
if seq == seen then return {seq} end
local bound = tonumber(ARGV[3])
if seq < seen or seq - seen > bound then seen = math.max(0, seq - bound) end
local unseen = seq - seen
local take = math.min(unseen, tonumber(ARGV[2]))
if take == 0 then return {seen, {}} end
return {seen + take, redis.call('LRANGE', KEYS[1], unseen - take, unseen - 1)}
`;

/**
 * KEYS: list, sequence number. ARGV: item, ttl in ms (0: none), list bound. Pushes and trims atomically; the two keys
 * live as long as the longest-lived entry: a short TTL never cuts a longer one short, and an entry without TTL
 * makes them persistent (the list stays bounded by the trim).
 */
const APPEND_SCRIPT = `
local before = redis.call('PTTL', KEYS[1])
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
redis.call('INCR', KEYS[2])
local ttl = tonumber(ARGV[2])
if ttl == 0 then
  redis.call('PERSIST', KEYS[1])
  redis.call('PERSIST', KEYS[2])
elseif before == -2 or (before >= 0 and before < ttl) then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end
return 1
`;

type ReadReply = [number] | [number, string[]];

interface SemanticCommands {
  sluiceSemanticRead(list: string, seqKey: string, seen: number, chunk: number, bound: number): Promise<ReadReply>;
  sluiceSemanticAppend(list: string, seqKey: string, item: string, ttlMs: number, bound: number): Promise<number>;
}

function encode(key: string, vector: Float32Array, expiresAt: number): string {
  const v = Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
  return JSON.stringify(Number.isFinite(expiresAt) ? { k: key, v, e: expiresAt } : { k: key, v });
}

function decode(text: string): SharedVector | null {
  try {
    const parsed = JSON.parse(text) as { k?: unknown; v?: unknown; e?: unknown };
    if (typeof parsed.k !== 'string' || typeof parsed.v !== 'string') return null;
    const bytes = Buffer.from(parsed.v, 'base64');
    if (bytes.byteLength % 4 !== 0) return null;
    const vector = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { key: parsed.k, vector, expiresAt: typeof parsed.e === 'number' ? parsed.e : Infinity };
  } catch {
    return null;
  }
}

export class SharedVectors {
  private readonly redis: Redis & SemanticCommands;
  private readonly prefix: string;

  constructor(redis: Redis, namespace: string | null) {
    redis.defineCommand('sluiceSemanticRead', { numberOfKeys: 2, lua: READ_SCRIPT });
    redis.defineCommand('sluiceSemanticAppend', { numberOfKeys: 2, lua: APPEND_SCRIPT });
    this.redis = redis as Redis & SemanticCommands;
    this.prefix = namespace === null ? 'sluice-semantic:' : `${namespace}:sluice-semantic:`;
  }

  /** The vectors of bucket `name` added after sequence number `seen`, oldest first, at most READ_CHUNK of them. */
  async read(name: string, seen: number): Promise<SharedRead> {
    const list = this.prefix + name;
    const reply = await this.redis.sluiceSemanticRead(list, `${list}:seq`, seen, READ_CHUNK, SHARED_PER_BUCKET);
    const vectors: SharedVector[] = [];
    const items = reply[1] ?? [];
    // LRANGE lists newest first.
    for (let index = items.length - 1; index >= 0; index--) {
      const decoded = decode(items[index]!);
      if (decoded !== null) vectors.push(decoded);
    }
    return { seen: Number(reply[0]), vectors };
  }

  /** Pushes one vector (fire and forget for the caller: the promise rejects on a Redis failure). */
  async append(name: string, key: string, vector: Float32Array, ttlSeconds: number | null, expiresAt: number): Promise<void> {
    const list = this.prefix + name;
    const ttlMs = ttlSeconds === null ? 0 : Math.max(1_000, Math.ceil(ttlSeconds * 1000));
    await this.redis.sluiceSemanticAppend(list, `${list}:seq`, encode(key, vector, expiresAt), ttlMs, SHARED_PER_BUCKET);
  }
}

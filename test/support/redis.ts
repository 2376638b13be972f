// Helpers for tests on the real Redis at 127.0.0.1:6379: availability (skip unless CI=true) and unique prefixes.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before } from 'node:test';
import { startMockServer } from '../../src/mockserver/index.js';

export const REDIS_HOST = '127.0.0.1';
export const REDIS_PORT = 6379;

/** True when Redis answers on 127.0.0.1:6379 within 500 ms. */
export function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: REDIS_HOST, port: REDIS_PORT });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** `skip` option for node:test: a message when Redis is away (never under CI=true, where the test must run). */
export async function redisSkip(): Promise<string | false> {
  if (await redisReachable()) return false;
  if (process.env.CI === 'true') throw new Error('Redis at 127.0.0.1:6379 is required when CI=true');
  return 'Redis at 127.0.0.1:6379 is not reachable';
}

/** A key prefix no other test run shares. */
export function uniqueNamespace(label: string): string {
  return `sluice-test-${label}-${randomUUID().slice(0, 8)}`;
}

/** PINGs Redis at `url`: true when it answers; false when away outside CI; throws under CI=true. */
export async function redisAnswers(url: string): Promise<boolean> {
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0 });
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw error;
    return false;
  } finally {
    probe.disconnect();
  }
}

/** Deletes what a test run left under its prefix. */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

/**
 * The before/after of a suite on the real Redis: probes it (`reachable` is false when it is away outside CI), starts
 * a mock provider, and at the end closes the mock and deletes what the run left under `prefix`.
 */
export function redisMockSuite(url: string, prefix: string, onStart: (reachable: boolean, mock: Awaited<ReturnType<typeof startMockServer>>) => void): void {
  let reachable = false;
  let mock: Awaited<ReturnType<typeof startMockServer>>;
  before(async () => {
    reachable = await redisAnswers(url);
    mock = await startMockServer();
    onStart(reachable, mock);
  });
  after(async () => {
    await mock.close();
    if (reachable) await deleteRedisPrefix(url, prefix);
  });
}

// Change propagation through Redis pub/sub: the instance that changes a key, team, user, end user, budget or team
// membership publishes it, and every subscribed instance reloads that entity at once. The Sluice_ChangeLog poll
// stays the backstop (a message lost while Redis or a subscriber was away is applied by the next poll).
import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { ioredis } from '../core/optional-modules.js';
import type { RedisTarget } from '../limits/redis-options.js';
import { logger } from '../logging/logger.js';
import type { ChangeKind } from '../store/repository.js';

const KINDS: ReadonlySet<string> = new Set<ChangeKind>(['key', 'team', 'user', 'end_user', 'budget', 'team_member']);

/** What the management API tells after it has written and applied a change. */
export interface ChangePublisher {
  publish(kind: ChangeKind, id: string, logId: string): void;
}

/** Applies a change another instance made (GovernanceState.applyChange). */
export type ChangeHandler = (logId: string, kind: ChangeKind, id: string) => Promise<unknown>;

interface ChangeMessage {
  /** The publishing process: it applied the change already and skips its own message. */
  o: string;
  k: ChangeKind;
  i: string;
  /** Sluice_ChangeLog row id: the poll will not apply it a second time. */
  l: string;
}

function parse(text: string): ChangeMessage | null {
  try {
    const message = JSON.parse(text) as Partial<ChangeMessage>;
    if (typeof message.o === 'string' && typeof message.k === 'string' && KINDS.has(message.k) && typeof message.i === 'string' && typeof message.l === 'string') return message as ChangeMessage;
  } catch {
    // not ours
  }
  return null;
}

export class ChangeBus implements ChangePublisher {
  readonly channel: string;
  private readonly origin = randomUUID();
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly onChange: ChangeHandler;
  private lastWarning = 0;

  /** `prefix` is SLUICE_REDIS_PREFIX (default `sluice:limits:`); the channel is `<prefix>changes`. */
  constructor(target: RedisTarget, prefix: string, onChange: ChangeHandler) {
    this.channel = `${prefix}changes`;
    this.onChange = onChange;
    this.publisher = connect(target, target.options);
    // The subscriber waits for messages: no command timeout, and it reconnects and resubscribes on its own.
    this.subscriber = connect(target, { ...target.options, commandTimeout: undefined, enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.publisher.on('error', (error) => this.warn(error));
    this.subscriber.on('error', (error) => this.warn(error));
    this.subscriber.on('message', (channel: string, text: string) => this.receive(channel, text));
    this.subscriber.subscribe(this.channel).catch((error: unknown) => this.warn(error));
  }

  publish(kind: ChangeKind, id: string, logId: string): void {
    const message: ChangeMessage = { o: this.origin, k: kind, i: id, l: logId };
    this.publisher.publish(this.channel, JSON.stringify(message)).catch((error: unknown) => this.warn(error));
  }

  private receive(channel: string, text: string): void {
    if (channel !== this.channel) return;
    const message = parse(text);
    if (message === null || message.o === this.origin) return;
    this.onChange(message.l, message.k, message.i).catch((error: unknown) => logger.warn({ err: error, kind: message.k }, 'reload after a published change failed; the change-log poll will retry'));
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 10_000) return;
    this.lastWarning = now;
    logger.warn({ err: error }, 'redis change bus unavailable; changes reach other instances through the change-log poll');
  }

  /** Disconnects at once: QUIT would wait (forever, for the subscriber) on a Redis that is away. */
  close(): void {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}

function connect(target: RedisTarget, options: RedisOptions): Redis {
  const { Redis } = ioredis();
  return target.url === null ? new Redis(options) : new Redis(target.url, options);
}

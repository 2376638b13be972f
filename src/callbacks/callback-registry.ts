// Names in `litellm_settings.callbacks` / `success_callback` / `failure_callback` → running callbacks behind queues.
import type { ProxyConfig } from '../config/schema.js';
import type { MetricSet } from '../metrics/metric-set.js';
import { CallbackConfigError, type CallbackFactory, type LoggingCallback } from './callback.js';
import { CallbackObserver } from './callback-observer.js';
import { CallbackQueue } from './callback-queue.js';
import { createGenericApiCallback } from './generic-api.js';
import { createLangfuseCallback } from './langfuse.js';
import { createOtelCallback } from './otel.js';

const factories = new Map<string, CallbackFactory>([
  ['generic_api', createGenericApiCallback],
  ['otel', createOtelCallback],
  ['langfuse', createLangfuseCallback],
]);

/** Names LiteLLM accepts that Sluice serves another way (prometheus: /metrics is always on). */
const BUILT_IN: ReadonlySet<string> = new Set(['prometheus']);

/** Makes `litellm_settings.callbacks: [name]` start this callback. */
export function registerCallback(name: string, factory: CallbackFactory): void {
  factories.set(name, factory);
}

export interface CallbackSetup {
  observer: CallbackObserver | null;
  names: string[];
  /** Callbacks that could not start (unknown name, missing endpoint or credentials), one line each. */
  problems: string[];
}

function namesOf(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

export function buildCallbacks(config: ProxyConfig, env: NodeJS.ProcessEnv, metrics: MetricSet): CallbackSetup {
  const settings = config.litellm_settings;
  const both = namesOf(settings.callbacks);
  const success = new Set([...both, ...namesOf(settings.success_callback)]);
  const failure = new Set([...both, ...namesOf(settings.failure_callback)]);
  const logMessages = settings.turn_off_message_logging !== true;
  const callbackSettings = config.callback_settings ?? {};
  const queues = new Map<string, CallbackQueue>();
  const problems: string[] = [];
  for (const name of new Set([...success, ...failure])) {
    if (BUILT_IN.has(name)) continue;
    const own = callbackSettings[name] ?? null;
    const factory = factories.get(typeof own?.callback_type === 'string' ? own.callback_type : name);
    if (factory === undefined) {
      problems.push(`callback "${name}" is not supported by Sluice; ignored (supported: ${[...factories.keys(), ...BUILT_IN].join(', ')})`);
      continue;
    }
    const counters = { dropped: metrics.callbackDropped.labels(name), failed: metrics.callbackFailures.labels(name) };
    let callback: LoggingCallback;
    try {
      callback = factory(name, { env, settings: own, counters });
    } catch (error) {
      if (!(error instanceof CallbackConfigError)) throw error;
      problems.push(`${error.message}; ignored`);
      continue;
    }
    queues.set(name, new CallbackQueue(callback, counters, logMessages));
  }
  if (queues.size === 0) return { observer: null, names: [], problems };
  const pick = (names: Set<string>): CallbackQueue[] => [...names].flatMap((name) => (queues.has(name) ? [queues.get(name)!] : []));
  return { observer: new CallbackObserver(pick(success), pick(failure)), names: [...queues.keys()], problems };
}

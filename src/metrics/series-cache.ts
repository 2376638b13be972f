// Finds a finished request's bound metric series without building a key string. The series used to be cached
// under one string joined from eight labels (deployment id, requested model, key hash, key alias, team, team alias,
// user, end user): a new ~200-character string per request, flattened and hashed by the Map lookup (~4k
// instructions per request with a virtual key, most of what recording the request cost). Here the lookup walks
// nested maps on what tells series apart and changes most (the deployment object, the requested model, the key
// hash, the end user), whose strings are mostly the same objects request after request, then checks the labels that
// follow from the key (alias, team, team alias, user) by comparing strings.
import type { Deployment } from '../config/deployment.js';
import type { RequestOutcome } from '../dataplane/request-outcome.js';
import { BoundSeries, type CallerLabels } from './bound-series.js';
import type { MetricSet } from './metric-set.js';

type ByEndUser = Map<string, BoundSeries>;
type ByKeyHash = Map<string, ByEndUser>;
type ByRequestedModel = Map<string, ByKeyHash>;

const ANONYMOUS: CallerLabels = Object.freeze({ endUser: '', apiKeyHash: '', keyAlias: '', team: '', teamAlias: '', user: '' });

function callerOf(outcome: RequestOutcome): CallerLabels {
  if (outcome.apiKeyHash == null && outcome.team == null && outcome.user == null && outcome.endUser == null) return ANONYMOUS;
  return {
    endUser: outcome.endUser ?? '',
    apiKeyHash: outcome.apiKeyHash ?? '',
    keyAlias: outcome.keyAlias ?? '',
    team: outcome.team ?? '',
    teamAlias: outcome.teamAlias ?? '',
    user: outcome.user ?? '',
  };
}

/** Whether `series` carries the caller labels `outcome` would give it (its deployment, model, key and end user matched already). */
function sameCaller(series: BoundSeries, outcome: RequestOutcome): boolean {
  const caller = series.caller;
  return caller.keyAlias === (outcome.keyAlias ?? '') && caller.team === (outcome.team ?? '') && caller.teamAlias === (outcome.teamAlias ?? '')
    && caller.user === (outcome.user ?? '');
}

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

const newMap = <K, V>(): Map<K, V> => new Map<K, V>();

export class SeriesCache {
  private readonly metrics: MetricSet;
  /** Past this many series the cache restarts (the series stay in the registry; only binding them again costs). */
  private readonly limit: number;
  /**
   * Keyed by the deployment object, not its id: a config reload makes new objects, so a deployment whose api_base
   * changed gets series with the new labels. (null: answered before a deployment was chosen.)
   */
  private byDeployment = new Map<Deployment | null, ByRequestedModel>();
  private size = 0;

  constructor(metrics: MetricSet, limit: number) {
    this.metrics = metrics;
    this.limit = limit;
  }

  /** The series of `outcome`'s label tuple; `requestedModel` is `outcome.requestedModel ?? ''`. */
  seriesFor(outcome: RequestOutcome, requestedModel: string): BoundSeries {
    const apiKeyHash = outcome.apiKeyHash ?? '';
    const endUser = outcome.endUser ?? '';
    const series = this.byDeployment.get(outcome.deployment)?.get(requestedModel)?.get(apiKeyHash)?.get(endUser);
    if (series !== undefined && sameCaller(series, outcome)) return series;
    return this.bind(outcome, requestedModel, apiKeyHash, endUser, series === undefined);
  }

  /** Binds a new series (a new tuple, or a key whose alias, team or user changed since) and caches it. */
  private bind(outcome: RequestOutcome, requestedModel: string, apiKeyHash: string, endUser: string, isNewTuple: boolean): BoundSeries {
    if (isNewTuple && this.size >= this.limit) {
      this.byDeployment = new Map();
      this.size = 0;
    }
    const byModel = child(this.byDeployment, outcome.deployment, newMap<string, ByKeyHash>);
    const byKeyHash = child(byModel, requestedModel, newMap<string, ByEndUser>);
    const byEndUser = child(byKeyHash, apiKeyHash, newMap<string, BoundSeries>);
    const series = new BoundSeries(this.metrics, outcome.deployment, requestedModel, callerOf(outcome));
    // A changed caller replaces its tuple's series; only a new tuple adds one.
    if (isNewTuple) this.size++;
    byEndUser.set(endUser, series);
    return series;
  }
}

// Counters about shared routing state, exported for metrics and /health (read-only for everyone else).
export const sharedRouterStats = {
  /** 'none' | 'cluster' | 'redis' */
  backend: 'none' as 'none' | 'cluster' | 'redis',
  /** 1 while the backend answers, 0 while routing runs from local state only. */
  backendUp: 1,
  backendErrors: 0,
  leaseRequests: 0,
  syncs: 0,
  /** Requests routed on a locally granted lease because the backend was away. */
  localFallbackLeases: 0,
};

// Maps `router_settings.routing_strategy` to its implementation, once at start-up.
import type { RoutingStrategy } from '../strategy.js';
import { costBased } from './cost-based.js';
import { latencyBased } from './latency-based.js';
import { leastBusy } from './least-busy.js';
import { simpleShuffle } from './simple-shuffle.js';
import { usageBased } from './usage-based.js';

export function createStrategy(name: string | undefined, args: Readonly<Record<string, unknown>>): RoutingStrategy {
  switch (name) {
    case undefined:
    case 'simple-shuffle':
      return simpleShuffle;
    case 'least-busy':
      return leastBusy;
    case 'latency-based-routing': {
      const buffer = args.lowest_latency_buffer;
      return latencyBased(typeof buffer === 'number' && buffer >= 0 ? buffer : 0);
    }
    case 'usage-based-routing':
    case 'usage-based-routing-v2':
      return usageBased;
    case 'cost-based-routing':
      return costBased;
    default:
      throw new Error(`unknown routing_strategy ${name}`);
  }
}

export { costBased, latencyBased, leastBusy, simpleShuffle, usageBased };

/** Every diagram by its file name in docs/images/. */
import {
  cacheGetOrSet,
  circuitBreakerStates,
  redisOutageTimeline,
  requestPath,
} from './pictures.ts';

export const diagrams: Readonly<Record<string, () => string>> = {
  'circuit-breaker-states': circuitBreakerStates,
  'cache-get-or-set': cacheGetOrSet,
  'request-path': requestPath,
  'redis-outage': redisOutageTimeline,
};

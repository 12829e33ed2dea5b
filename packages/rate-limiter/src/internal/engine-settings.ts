import type { Clock } from '@rampart/errors';
import type { StoreErrorPolicy } from '../channels.ts';
import type { ResolvedLimit } from '../limits.ts';
import type { RateLimitStore } from '../store.ts';
import type { CompiledLimit } from './algorithms.ts';

/** Everything a limiter needs, parsed and defaulted by `createRateLimiter`. */
export interface EngineSettings {
  readonly name: string;
  readonly prefix: string;
  readonly limits: readonly ResolvedLimit[];
  readonly compiled: readonly CompiledLimit[];
  readonly store: RateLimitStore;
  readonly ownsStore: boolean;
  readonly clock: Clock;
  readonly onStoreError: StoreErrorPolicy;
  /** The store guard's deadline, threshold and cool-down. */
  readonly storeGuard: {
    readonly timeoutMs: number;
    readonly failureThreshold: number;
    readonly coolDownMs: number;
  };
  /** 0 turns the block cache off. */
  readonly blockCacheMaxKeys: number;
  readonly shadow: boolean;
  /** How long a caller who exceeds a limit stays banned; 0 turns bans off. */
  readonly blockDurationMs: number;
}

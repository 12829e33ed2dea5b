import { invalidArgument } from '@rampart/errors';
import type { CircuitBreaker, CircuitControl } from './circuit-breaker.ts';
import { CircuitEngine } from './internal/engine.ts';
import { parseEntryOptions, parseRegistryOptions } from './internal/parse-options.ts';
import { disposedError } from './internal/rejection.ts';
import { requireFunction } from './internal/require-function.ts';
import { resolvePolicy, type Settings } from './internal/settings.ts';
import type { CircuitBreakerPolicy, CircuitFallback, CircuitFunction } from './options.ts';
import type { CircuitBreakerSnapshot } from './snapshot.ts';

/** Options of {@link createCircuitBreakerRegistry}. */
export interface CircuitBreakerRegistryOptions {
  /**
   * The policy of every breaker the registry creates, unless overridden per breaker.
   * @default the defaults of {@link CircuitBreakerPolicy}
   */
  readonly defaults?: CircuitBreakerPolicy;
  /**
   * Most breakers kept at once. Creating one more forgets the least recently used breaker
   * that has no call in flight (or, if every breaker is busy, the least recently used one).
   * A forgotten breaker is not disposed: code holding it keeps a working breaker.
   * @default `10_000` — bounds memory (about 1 KB per breaker) when names come from data, such
   *   as one breaker per host.
   */
  readonly maxBreakers?: number;
  /**
   * Snapshots from {@link CircuitBreakerRegistry.snapshot}: a breaker created later under one
   * of these names starts from its snapshot.
   * @default none
   */
  readonly initialState?: readonly CircuitBreakerSnapshot[];
}

/** Options of one breaker of a registry: overrides of the registry's defaults, and a fallback. */
export interface CircuitBreakerEntryOptions<Args extends unknown[], Result>
  extends CircuitBreakerPolicy {
  /**
   * Produces the result when a call is rejected, times out or fails.
   * @default none
   */
  readonly fallback?: CircuitFallback<Args, Result>;
}

/** Many named breakers with shared defaults; created by {@link createCircuitBreakerRegistry}. */
export interface CircuitBreakerRegistry {
  /**
   * The breaker named `name`, created around `fn` (with `options` over the registry's
   * defaults) when it does not exist yet. An existing breaker keeps the function and options
   * it was created with: pass per-call data as arguments, not in a closure.
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `name` is not a non-empty string.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `fn` is not a function or `options` are invalid.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the registry was disposed.
   */
  get<Args extends unknown[], Result>(
    name: string,
    fn: CircuitFunction<Args, Result>,
    options?: CircuitBreakerEntryOptions<Args, Result>,
  ): CircuitBreaker<Args, Result>;
  /** The breaker named `name`, if the registry holds one. */
  get(name: string): CircuitControl | undefined;
  /** Every breaker held, least recently used first. */
  list(): CircuitControl[];
  /**
   * The state of every breaker held, plus initial states not yet claimed by a breaker; give
   * it to `initialState` of a new registry (after a restart, in another process).
   */
  snapshot(): CircuitBreakerSnapshot[];
  /** How many breakers are held. */
  readonly size: number;
  /** Disposes every breaker and refuses new ones. Idempotent. */
  dispose(): Promise<void>;
  /** Same as {@link CircuitBreakerRegistry.dispose}, for `await using` declarations. */
  [Symbol.asyncDispose](): Promise<void>;
}

type AnyEngine = CircuitEngine<unknown[], unknown>;

/**
 * Creates a registry of named circuit breakers sharing one policy, e.g. one breaker per
 * downstream host or tenant. Breakers cost about a kilobyte each and run no timer (windows
 * expire lazily from the clock), so thousands of them cost little.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
 * @example
 * ```ts
 * import { createCircuitBreakerRegistry } from '@rampart/circuit-breaker';
 *
 * const breakers = createCircuitBreakerRegistry({ defaults: { timeoutMs: 2_000, capacity: 20 } });
 *
 * async function callPartner(host: string, path: string): Promise<unknown> {
 *   const breaker = breakers.get(host, async (url: string, signal: AbortSignal) => {
 *     const response = await fetch(url, { signal });
 *     if (!response.ok) throw new Error(`${host} answered ${response.status}`);
 *     return response.json();
 *   });
 *   return breaker.execute(`https://${host}${path}`);
 * }
 * ```
 */
export function createCircuitBreakerRegistry(
  options: CircuitBreakerRegistryOptions = {},
): CircuitBreakerRegistry {
  const { defaults, maxBreakers, initialState } = parseRegistryOptions(options);
  const sharedSettings: Settings = resolvePolicy(defaults);
  const unclaimed = new Map<string, CircuitBreakerSnapshot>();
  for (const snapshot of initialState) unclaimed.set(snapshot.name, snapshot);
  const breakers = new Map<string, AnyEngine>();
  let disposed = false;

  function forget(breaker: AnyEngine): void {
    if (breakers.get(breaker.name) === breaker) breakers.delete(breaker.name);
  }

  function evictOne(): void {
    let victim: AnyEngine | undefined;
    for (const breaker of breakers.values()) {
      victim ??= breaker;
      if (breaker.inFlight === 0) {
        victim = breaker;
        break;
      }
    }
    if (victim === undefined) return;
    victim.onDispose = undefined;
    breakers.delete(victim.name);
  }

  function create(name: string, fn: unknown, entryOptions: unknown): AnyEngine {
    requireFunction(fn, `registry.get(${JSON.stringify(name)})`);
    let settings = sharedSettings;
    let fallback: CircuitFallback<unknown[], unknown> | undefined;
    if (entryOptions !== undefined) {
      const merged =
        entryOptions === null || typeof entryOptions !== 'object'
          ? entryOptions
          : { ...defaults, ...entryOptions };
      settings = resolvePolicy(parseEntryOptions(merged, `registry.get(${JSON.stringify(name)})`));
      fallback = (entryOptions as { fallback?: CircuitFallback<unknown[], unknown> }).fallback;
    }
    const breaker: AnyEngine = new CircuitEngine(
      name,
      fn as CircuitFunction<unknown[], unknown>,
      settings,
      fallback,
      unclaimed.get(name),
    );
    unclaimed.delete(name);
    breaker.onDispose = forget;
    while (breakers.size >= maxBreakers) evictOne();
    breakers.set(name, breaker);
    return breaker;
  }

  function get(name: string, fn?: unknown, entryOptions?: unknown): AnyEngine | undefined {
    if (typeof name !== 'string' || name.trim() === '') {
      throw invalidArgument('registry.get', 'name', 'must be a non-empty string', name);
    }
    const existing = breakers.get(name);
    if (existing !== undefined) {
      // Re-inserting keeps the map in least-recently-used order for eviction.
      breakers.delete(name);
      breakers.set(name, existing);
      return existing;
    }
    if (fn === undefined) return undefined;
    if (disposed) throw disposedError(`registry.get(${JSON.stringify(name)})`);
    return create(name, fn, entryOptions);
  }

  const registry = {
    get,
    list: () => [...breakers.values()],
    snapshot: () => {
      const snapshots = [...breakers.values()].map((breaker) => breaker.toJSON());
      return [...snapshots, ...unclaimed.values()];
    },
    get size() {
      return breakers.size;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      const all = [...breakers.values()];
      breakers.clear();
      unclaimed.clear();
      await Promise.all(all.map((breaker) => breaker.dispose()));
    },
    [Symbol.asyncDispose]() {
      return registry.dispose();
    },
  };
  return registry as CircuitBreakerRegistry;
}

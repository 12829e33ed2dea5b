import { invalidArgument, UnavailableError } from '@rampart/errors';
import { createRetryBudget } from '@rampart/retry';
import { classifyFailoverError } from './classify.ts';
import type { FailoverCore } from './internal/core.ts';
import { createSlots } from './internal/create-slots.ts';
import { executeCall } from './internal/first-call.ts';
import { parseFailoverOptions } from './internal/parse-options.ts';
import { createOrder } from './internal/strategies.ts';
import { TrafficShare } from './internal/traffic-share.ts';
import type { Failover, FailoverExecuteOptions, FailoverOptions } from './options.ts';
import type { FailoverState } from './state.ts';

const systemClock = { now: (): number => Date.now() };

/**
 * Creates a failover that routes each call to the preferred healthy provider and falls back
 * to the next when one fails, is rate-limited or slow.
 *
 * @remarks
 * Each provider has its own circuit breaker (named `<name>/<provider>`), so a failing
 * provider is skipped without a call while its circuit is open, wherever it sits in the
 * chain. Errors that another provider may not have move on (`classify`); a 429 with
 * `retryAfterMs` also cools its provider down. Every fallback and hedge spends one retry of
 * the retry budget. When no provider can answer, the `lastResort` answers, or the call
 * rejects with an `UnavailableError`.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is
 *   invalid, naming it (`providers[1].weight`, `breaker.timeoutMs`).
 * @example
 * ```ts
 * import { createFailover } from '@rampart/failover';
 *
 * async function complete(url: string, prompt: string, signal: AbortSignal): Promise<string> {
 *   const response = await fetch(url, { method: 'POST', body: prompt, signal });
 *   if (!response.ok) throw Object.assign(new Error(`${url} answered ${response.status}`), { status: response.status });
 *   return response.text();
 * }
 *
 * const completions = createFailover({
 *   name: 'completions',
 *   providers: [
 *     { name: 'primary', call: (prompt: string, { signal }) => complete('https://a.example/v1', prompt, signal) },
 *     { name: 'secondary', call: (prompt: string, { signal }) => complete('https://b.example/v1', prompt, signal) },
 *   ],
 *   breaker: { timeoutMs: 5_000, resetTimeoutMs: 10_000 },
 *   hedge: { delayMs: 'p95' },
 *   lastResort: () => 'The assistant is busy; please try again shortly.',
 * });
 *
 * const answer = await completions.execute('Hello', { signal: AbortSignal.timeout(8_000) });
 * ```
 */
export function createFailover<Input, Output>(
  options: FailoverOptions<Input, Output>,
): Failover<Input, Output> {
  const parsed = parseFailoverOptions(options);
  const name = parsed.name;
  const clock = parsed.clock ?? systemClock;
  const slots = createSlots(name, parsed.providers, parsed.breaker, parsed.clock);
  const random = parsed.random ?? Math.random;
  const hedge = parsed.hedge;
  const core: FailoverCore<Input, Output> = {
    name,
    slots,
    order: createOrder(
      parsed.strategy ?? 'priority',
      slots,
      random,
      parsed.explorationRate ?? 0.05,
    ),
    clock,
    budget:
      parsed.retryBudget === false
        ? undefined
        : (parsed.retryBudget ?? createRetryBudget(parsed.clock ? { clock: parsed.clock } : {})),
    hedge:
      hedge === undefined
        ? undefined
        : {
            delayMs: hedge.delayMs,
            maxHedges: hedge.maxHedges ?? 1,
            minSamples: hedge.minSamples ?? 20,
          },
    lastResort: parsed.lastResort,
    classify: parsed.classify ?? classifyFailoverError,
    traffic: new TrafficShare(slots.length),
    disposedError: undefined,
  };
  let disposed = false;

  const failover: Failover<Input, Output> = {
    name,
    execute(input: Input, executeOptions?: FailoverExecuteOptions): Promise<Output> {
      if (disposed) {
        return Promise.reject(new UnavailableError(`Failover "${name}" was disposed`));
      }
      let signal: unknown;
      if (executeOptions !== undefined) {
        if (typeof executeOptions !== 'object' || executeOptions === null) {
          return Promise.reject(
            invalidArgument('execute', 'options', 'must be an object', executeOptions),
          );
        }
        signal = executeOptions.signal;
        if (signal !== undefined && !(signal instanceof AbortSignal)) {
          return Promise.reject(
            invalidArgument('execute', 'options.signal', 'must be an AbortSignal', signal),
          );
        }
      }
      const callerSignal = signal as AbortSignal | undefined;
      if (callerSignal?.aborted === true) return Promise.reject(callerSignal.reason);
      return executeCall(core, input, callerSignal);
    },
    state(): FailoverState {
      const now = clock.now();
      return {
        name,
        providers: slots.map((slot) => slot.snapshot(now, core.traffic.share(slot.index))),
      };
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      // Calls in flight reject with this once their provider call is aborted below.
      core.disposedError = new UnavailableError(`Failover "${name}" was disposed`);
      await Promise.all(slots.map((slot) => slot.breaker.dispose()));
    },
    [Symbol.asyncDispose](): Promise<void> {
      return failover.dispose();
    },
  };
  return failover;
}

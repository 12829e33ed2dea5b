import { channel } from 'node:diagnostics_channel';
import { ConfigurationError, describeValue, parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { CircuitState } from './circuit-state.ts';
import type { CircuitCallOutcome, CircuitStateChangeReason } from './events.ts';
import { circuitBreakerChannels } from './events.ts';
import { publishCall, publishRejected, publishState } from './internal/channels.ts';
import { failureRateOf, recordOpened, retryAfterOf } from './internal/opossum/breaker-state.ts';
import type { OpossumBreakerLike } from './opossum-breaker.ts';
import { toRampartError } from './opossum-errors.ts';

/** Options of {@link instrumentOpossum}. */
export interface InstrumentOpossumOptions {
  /**
   * The `name` of every event, as Rampart breakers have one.
   * @default the breaker's own `name` (opossum defaults it to the action's name), else
   *   `'opossum'`.
   */
  readonly name?: string | undefined;
}

const optionsSchema = z.strictObject({
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).optional(),
});

const callChannel = channel(circuitBreakerChannels.call);
const rejectedChannel = channel(circuitBreakerChannels.rejected);

function isBreaker(value: unknown): value is OpossumBreakerLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { on?: unknown }).on === 'function' &&
    typeof (value as { removeListener?: unknown }).removeListener === 'function' &&
    typeof (value as { fire?: unknown }).fire === 'function'
  );
}

function stateOf(breaker: OpossumBreakerLike): CircuitState {
  if (breaker.opened) return 'open';
  return breaker.halfOpen ? 'half-open' : 'closed';
}

/**
 * Makes an existing opossum 10 breaker publish on Rampart's `rampart:circuit-breaker:*`
 * channels, with the payloads of a Rampart breaker, so `instrument()` from
 * `@rampart/metrics` and `logEvents()` from `@rampart/logger` see it; returns a function that
 * stops it.
 *
 * @remarks
 * opossum's events map as follows: `open`, `halfOpen` and `close` become state events
 * (`failure-threshold`, or `probe-failed` from half-open; `reset-timeout`; `probes-succeeded`,
 * or `reset` when closed by hand); `success` and `failure` become call events (`timeout` for
 * its own `ETIMEDOUT`, `ignored` for an error its `errorFilter` excused); `reject` and
 * `semaphoreLocked` become rejected events (`open` or `half-open`; `capacity`), their errors
 * mapped by {@link toRampartError}. It records when the breaker opens, which opossum does
 * not, so open-circuit rejections carry `retryAfterMs`. A semaphore rejection is not reported as a failed call
 * (opossum counts it as one). The half-open trial call is marked `probe`. Nothing is built
 * while a channel has no subscriber. The function returned removes every listener it added;
 * calling it again does nothing. opossum's `shutdown()` removes them as well.
 *
 * It is the first step away from opossum: instrument the breakers you have, watch them on
 * the same dashboards as Rampart's, then replace them one by one with `createCircuitBreaker`.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `breaker` is not
 *   an opossum breaker or `name` is empty.
 * @example
 * ```ts
 * import CircuitBreaker from 'opossum';
 * import { instrumentOpossum } from '@rampart/circuit-breaker/opossum';
 *
 * const breaker = new CircuitBreaker(fetchPrices, { timeout: 2_000 });
 * const stop = instrumentOpossum(breaker, { name: 'prices' });
 * // … later, before breaker.shutdown() or when no longer wanted:
 * stop();
 * ```
 */
export function instrumentOpossum(
  breaker: OpossumBreakerLike,
  options: InstrumentOpossumOptions = {},
): () => void {
  if (!isBreaker(breaker)) {
    throw new ConfigurationError(
      `instrumentOpossum: \`breaker\` must be an opossum CircuitBreaker (got ${describeValue(breaker)})`,
    );
  }
  const parsed = parseOptions(optionsSchema, options, 'instrumentOpossum');
  const name =
    parsed.name ??
    (typeof breaker.name === 'string' && breaker.name !== '' ? breaker.name : 'opossum');
  let state = stateOf(breaker);
  let probeNext = false;

  const change = (to: CircuitState, reason: CircuitStateChangeReason): void => {
    const from = state;
    state = to;
    if (from === to) return;
    const retryAfterMs = to === 'open' ? retryAfterOf(breaker) : undefined;
    publishState(name, from, to, reason, failureRateOf(breaker), retryAfterMs);
  };
  const isOwn = (error: unknown, code: string): boolean =>
    (error as { code?: unknown } | null)?.code === code && toRampartError(error, breaker) !== error;
  const call = (outcome: CircuitCallOutcome, latency: unknown, error: unknown): void => {
    const probe = probeNext;
    probeNext = false;
    if (!callChannel.hasSubscribers) return;
    publishCall(name, outcome, typeof latency === 'number' ? latency : 0, probe, error);
  };

  const listeners: Record<string, (...args: unknown[]) => void> = {
    open: () => {
      recordOpened(breaker);
      change('open', state === 'half-open' ? 'probe-failed' : 'failure-threshold');
    },
    halfOpen: () => change('half-open', 'reset-timeout'),
    close: () => change('closed', state === 'half-open' ? 'probes-succeeded' : 'reset'),
    fire: () => {
      if (breaker.halfOpen && breaker.pendingClose === true) probeNext = true;
    },
    success: (result: unknown, latency: unknown) =>
      result instanceof Error
        ? call('ignored', latency, result)
        : call('success', latency, undefined),
    failure: (error: unknown, latency: unknown) => {
      // A semaphore rejection is reported as rejected (below), not as a failed call.
      if (isOwn(error, 'ESEMLOCKED')) return;
      if (isOwn(error, 'ETIMEDOUT')) call('timeout', latency, toRampartError(error, breaker));
      else call('failure', latency, error);
    },
    reject: (error: unknown) => {
      if (!rejectedChannel.hasSubscribers) return;
      const mapped = toRampartError(error, breaker);
      if (!(mapped instanceof Error) || typeof (mapped as { code?: unknown }).code !== 'string')
        return;
      const reason = breaker.halfOpen ? 'half-open' : 'open';
      publishRejected(
        name,
        reason,
        state,
        retryAfterOf(breaker),
        mapped as Error & { code: string },
      );
    },
    semaphoreLocked: (error: unknown) => {
      if (!rejectedChannel.hasSubscribers) return;
      const mapped = toRampartError(error, breaker);
      if (!(mapped instanceof Error) || typeof (mapped as { code?: unknown }).code !== 'string')
        return;
      publishRejected(name, 'capacity', state, undefined, mapped as Error & { code: string });
    },
  };
  for (const [event, listener] of Object.entries(listeners)) breaker.on(event, listener);
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const [event, listener] of Object.entries(listeners))
      breaker.removeListener(event, listener);
  };
}

/** What `instrument()` records from `@rampart/circuit-breaker`'s channels (subscribed by name, types only). */
import type {
  CircuitBreakerCallEvent,
  CircuitBreakerRejectedEvent,
  CircuitBreakerStateEvent,
  CircuitState,
  circuitBreakerChannels,
} from '@rampart/circuit-breaker';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { secondsOf } from './instrument-recorder.ts';

/** The channel names, checked against the package's own `circuitBreakerChannels` by the type. */
export const CIRCUIT_BREAKER_CHANNELS: typeof circuitBreakerChannels = {
  state: 'rampart:circuit-breaker:state',
  call: 'rampart:circuit-breaker:call',
  rejected: 'rampart:circuit-breaker:rejected',
};

/** The value of the state gauge for each state. */
export const CIRCUIT_STATE_VALUES: Readonly<Record<CircuitState, number>> = Object.freeze({
  closed: 0,
  open: 1,
  'half-open': 2,
  isolated: 3,
});

export function instrumentCircuitBreaker(recorder: Recorder): PackageInstrumentation {
  const setState = recorder.gauge({
    name: names.circuitBreakerState,
    help: 'State of the circuit: closed 0, open 1, half-open 2, isolated 3.',
    labelNames: [],
  });
  const transitions = recorder.counter({
    name: names.circuitBreakerTransitions,
    help: 'Circuit state changes.',
    labelNames: ['from', 'to'],
  });
  const rejections = recorder.counter({
    name: names.circuitBreakerRejections,
    help: 'Calls rejected without running, by why.',
    labelNames: ['reason'],
  });
  const callDuration = recorder.histogram({
    name: names.circuitBreakerCallDuration,
    help: 'Duration of calls the breaker admitted, by how they ended, in seconds.',
    labelNames: ['outcome'],
  });
  /** Breakers whose state this instrumentation has seen; others get one from their first call. */
  const known = new Set<string>();
  const record = (name: string, state: CircuitState): void => {
    known.add(name);
    setState(name, {}, CIRCUIT_STATE_VALUES[state]);
  };

  const listeners: ChannelListeners<typeof circuitBreakerChannels> = {
    state(event: CircuitBreakerStateEvent) {
      record(event.name, event.to);
      transitions(event.name, { from: event.from, to: event.to });
    },
    call(event: CircuitBreakerCallEvent) {
      // Admitted calls run while closed, or half-open for trial calls: until the breaker
      // changes state, that is its state.
      if (!known.has(event.name)) record(event.name, event.probe ? 'half-open' : 'closed');
      callDuration(event.name, { outcome: event.outcome }, secondsOf(event.durationMs));
    },
    rejected(event: CircuitBreakerRejectedEvent) {
      record(event.name, event.state);
      rejections(event.name, { reason: event.reason });
    },
  };
  return { channels: CIRCUIT_BREAKER_CHANNELS, listeners };
}

/** The metrics of a store guard's state, recorded alike for the cache's L2 and a limiter's store. */
import type { StoreState, StoreStateEvent } from '@rampart/cache';
import type { Recorder } from './instrument-recorder.ts';

const STATES: readonly StoreState[] = ['healthy', 'cooling-down', 'probing'];

/** Metric names of one guarded component's state gauge and transitions counter. */
export interface StoreStateMetricNames {
  readonly state: string;
  readonly transitions: string;
  /** What is guarded, in help texts: `L2`, `the rate-limiter store`. */
  readonly subject: string;
}

/**
 * Declares a `{state}` gauge (1 for the current state, 0 for the others) and a `{from, to}`
 * counter, and returns the listener that records a `store-state` event into them.
 */
export function storeStateMetrics(
  recorder: Recorder,
  names: StoreStateMetricNames,
): (event: StoreStateEvent) => void {
  const state = recorder.gauge({
    name: names.state,
    help: `The guard state of ${names.subject}: 1 for the current one (healthy, cooling-down, probing), 0 for the others.`,
    labelNames: ['state'],
  });
  const transitions = recorder.counter({
    name: names.transitions,
    help: `Changes of the guard state of ${names.subject}, by from and to.`,
    labelNames: ['from', 'to'],
  });
  return (event) => {
    for (const each of STATES) state(event.name, { state: each }, each === event.to ? 1 : 0);
    transitions(event.name, { from: event.from, to: event.to });
  };
}

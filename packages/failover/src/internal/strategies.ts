import type { Clock, FailoverStrategy } from '../options.ts';
import type { ProviderSlot } from './provider-slot.ts';

// biome-ignore lint/suspicious/noExplicitAny: ordering never touches a provider's input or output.
type Slot = ProviderSlot<any, any>;

/** Orders the providers for one call: the first is tried first, the rest are fallbacks. */
export type ProviderOrder = (slots: readonly Slot[], clock: Clock) => readonly Slot[];

/** `priority`: one fixed order, computed once, so a call allocates nothing to pick. */
function priorityOrder(slots: readonly Slot[]): ProviderOrder {
  const ordered = [...slots].sort((a, b) => a.priority - b.priority || a.index - b.index);
  return () => ordered;
}

/** Splits `slots` into the available ones and the others, keeping their order. */
function partition(slots: readonly Slot[], now: number): [Slot[], Slot[]] {
  const available: Slot[] = [];
  const unavailable: Slot[] = [];
  for (const slot of slots) {
    (slot.availability(now) === 'available' ? available : unavailable).push(slot);
  }
  return [available, unavailable];
}

/** `weighted`: weighted sampling without replacement among the available providers. */
function weightedOrder(random: () => number): ProviderOrder {
  return (slots, clock) => {
    const [pool, unavailable] = partition(slots, clock.now());
    const ordered: Slot[] = [];
    let total = 0;
    for (const slot of pool) total += slot.weight;
    while (total > 0) {
      let point = random() * total;
      let chosen = pool.length - 1;
      for (let index = 0; index < pool.length; index++) {
        const weight = pool[index]?.weight ?? 0;
        if (weight > 0 && point < weight) {
          chosen = index;
          break;
        }
        point -= weight;
      }
      const [slot] = pool.splice(chosen, 1);
      if (slot === undefined) break;
      ordered.push(slot);
      total -= slot.weight;
      if (!pool.some((candidate) => candidate.weight > 0)) break;
    }
    return [...ordered, ...pool, ...unavailable];
  };
}

/**
 * `least-latency`: the available providers by recent median latency (a provider without
 * samples counts as 0 ms, so it gets measured), except that a share of calls
 * (`explorationRate`) starts with a random available provider instead.
 */
function leastLatencyOrder(random: () => number, explorationRate: number): ProviderOrder {
  return (slots, clock) => {
    const [available, unavailable] = partition(slots, clock.now());
    const medians = new Map(available.map((slot) => [slot, slot.latency.quantile(0.5)]));
    available.sort((a, b) => (medians.get(a) ?? 0) - (medians.get(b) ?? 0) || a.index - b.index);
    if (available.length > 1 && random() < explorationRate) {
      const index = Math.min(available.length - 1, Math.floor(random() * available.length));
      const [explored] = available.splice(index, 1);
      if (explored !== undefined) available.unshift(explored);
    }
    return [...available, ...unavailable];
  };
}

/** The order function of a strategy. */
export function createOrder(
  strategy: FailoverStrategy,
  slots: readonly Slot[],
  random: () => number,
  explorationRate: number,
): ProviderOrder {
  switch (strategy) {
    case 'weighted':
      return weightedOrder(random);
    case 'least-latency':
      return leastLatencyOrder(random, explorationRate);
    default:
      return priorityOrder(slots);
  }
}

import type { Address } from './address.ts';
import { contains, type Network, parseNetworks } from './cidr.ts';

/** Decides whether the hop at `hop` (0: the socket's peer) with this address is a trusted proxy. */
export type TrustTest = (address: Address, hop: number) => boolean;

const never: TrustTest = () => false;
const always: TrustTest = () => true;

/** Why a `trustProxy` value was refused, for the caller's error; `undefined` when it is fine. */
export type TrustProblem = { readonly expectation: string; readonly received: unknown };

const compiled = new WeakMap<object, TrustTest>();
/** The tests of small hop counts, made once. */
const hopTests: TrustTest[] = [];

function networkTest(entries: readonly unknown[]): TrustTest | TrustProblem {
  const networks: Network[] = [];
  for (const entry of entries) {
    const parsed = typeof entry === 'string' ? parseNetworks(entry.trim()) : undefined;
    if (parsed === undefined) {
      return {
        expectation:
          'must list IP addresses, CIDR ranges (10.0.0.0/8, 2001:db8::/32) or loopback, linklocal, uniquelocal',
        received: entry,
      };
    }
    networks.push(...parsed);
  }
  return (address) => {
    for (const network of networks) if (contains(network, address)) return true;
    return false;
  };
}

/**
 * Turns a `trustProxy` setting into a test, compiled once per list or function: `false` or
 * `undefined` trusts nothing, `true` every hop, a number that many hops from the socket, a
 * list the addresses in its networks, a function whatever it returns `true` for.
 */
export function trustTestOf(trustProxy: unknown): TrustTest | TrustProblem {
  if (trustProxy === undefined || trustProxy === false) return never;
  if (trustProxy === true) return always;
  if (typeof trustProxy === 'number') {
    if (!Number.isInteger(trustProxy) || trustProxy < 0) {
      return { expectation: 'must be a non-negative integer number of hops', received: trustProxy };
    }
    let test = hopTests[trustProxy];
    if (test === undefined) {
      const hops = trustProxy;
      test = (_address, hop) => hop < hops;
      if (hops < 64) hopTests[hops] = test;
    }
    return test;
  }
  if (typeof trustProxy === 'function') {
    let test = compiled.get(trustProxy);
    if (test === undefined) {
      const decide = trustProxy as (address: string, hop: number) => unknown;
      test = (address, hop) => decide(address.text, hop) === true;
      compiled.set(trustProxy, test);
    }
    return test;
  }
  if (Array.isArray(trustProxy)) {
    const cached = compiled.get(trustProxy);
    if (cached !== undefined) return cached;
    const test = networkTest(trustProxy);
    if (typeof test === 'function') compiled.set(trustProxy, test);
    return test;
  }
  return {
    expectation:
      'must be a boolean, a number of hops, a list of addresses or CIDR ranges, or a function',
    received: trustProxy,
  };
}

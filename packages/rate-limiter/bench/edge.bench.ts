/**
 * The edge helpers' cost: bans (`blockDurationMs`) and waiting (`maxWaitMs`) on the path of a
 * caller who is neither banned nor queued, against the same limiter without them; `clientIp`
 * against proxy-addr (Express's `req.ip`), in the same process and run.
 * Run: `pnpm bench rate-limiter/bench/edge`.
 */
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { compare, ratio, report } from '@rampart/bench-kit';
import { clientIp, createRateLimiter } from '../src/index.ts';

const KEYS = 1_000;
const keys = Array.from({ length: KEYS }, (_, index) => `user-${index}`);
let next = 0;
const key = (): string => keys[next++ % KEYS] as string;

// Limits high enough that every call is admitted: nobody is banned or queued.
const limits = [{ name: 'minute', limit: 1_000_000_000, windowMs: 60_000 }];
const plain = createRateLimiter({ limits });
const control = createRateLimiter({ limits });
const banning = createRateLimiter({ limits, blockDurationMs: 60_000 });
const waitOptions = { maxWaitMs: 1_000 };

const unbanned = await compare('memory store: a caller neither banned nor queued (1,000 keys)', {
  baseline: 'without bans or waiting',
  cases: [
    { name: 'without bans or waiting', fn: () => plain.consume(key()) },
    // A second limiter just like the first: how far apart two identical cases come out here.
    { name: 'control: another limiter without them', fn: () => control.consume(key()) },
    { name: 'blockDurationMs: 60_000', fn: () => banning.consume(key()) },
    { name: 'consume(key, { maxWaitMs: 1_000 })', fn: () => control.consume(key(), waitOptions) },
  ],
});

/** proxy-addr 2 (no bundled types): `proxyaddr(request, trust)` and `compile(list)`. */
interface ProxyAddr {
  (request: IncomingMessage, trust: (address: string, hop: number) => boolean): string;
  compile(list: readonly string[]): (address: string, hop: number) => boolean;
}
const proxyaddr = createRequire(import.meta.url)('proxy-addr') as ProxyAddr;

const request = (forwardedFor: string): IncomingMessage =>
  ({
    headers: { 'x-forwarded-for': forwardedFor },
    socket: { remoteAddress: '10.0.0.2' },
    connection: { remoteAddress: '10.0.0.2' },
  }) as unknown as IncomingMessage;
const oneHop = request('203.0.113.9');
const threeHops = request('198.51.100.7, 203.0.113.9, 10.1.2.3, 10.0.0.9');
const ipv6 = request('2001:db8::17, fd00::5');
const networks = ['10.0.0.0/8', 'fd00::/8'];
const compiled = proxyaddr.compile(networks);
const rampartNetworks = { trustProxy: networks };
const rampartHops = { trustProxy: 1 };
const proxyHops = (_address: string, hop: number): boolean => hop < 1;

const addresses = await compare('client address behind proxies', {
  baseline: 'proxy-addr, compiled CIDR list, 2 hops',
  cases: [
    { name: 'proxy-addr, compiled CIDR list, 2 hops', fn: () => proxyaddr(threeHops, compiled) },
    { name: 'clientIp, CIDR list, 2 hops', fn: () => clientIp(threeHops, rampartNetworks) },
    { name: 'proxy-addr, hop count 1', fn: () => proxyaddr(oneHop, proxyHops) },
    { name: 'clientIp, hop count 1', fn: () => clientIp(oneHop, rampartHops) },
    { name: 'proxy-addr, IPv6 chain', fn: () => proxyaddr(ipv6, compiled) },
    { name: 'clientIp, IPv6 chain', fn: () => clientIp(ipv6, rampartNetworks) },
  ],
});

const row = (result: typeof unbanned, name: string): number =>
  result.rows.find((candidate) => candidate.name === name)?.relativeToBaseline ?? 0;

await report('rate-limiter.edge', {
  title: '@rampart/rate-limiter: bans, waiting and client addresses',
  rerun: 'pnpm bench rate-limiter/bench/edge',
})
  .text(
    'What bans and waiting cost a caller they do not concern: the same memory-store limiter ' +
      'with `blockDurationMs` set, and `consume` with `maxWaitMs`, every call admitted. The ' +
      'control row is a second limiter without either: the gap between identical cases on this ' +
      'machine.',
  )
  .compareTable(unbanned)
  .text(
    "`clientIp` against proxy-addr (what Express's `req.ip` uses), given the same trust: the " +
      'walk from the socket through `X-Forwarded-For`, right to left.',
  )
  .compareTable(addresses)
  .text(
    `A caller neither banned nor queued: ${ratio(row(unbanned, 'blockDurationMs: 60_000'))} ` +
      `(bans) and ${ratio(row(unbanned, 'consume(key, { maxWaitMs: 1_000 })'))} (waiting) as fast ` +
      `as without them (control: ${ratio(row(unbanned, 'control: another limiter without them'))}). ` +
      '`clientIp`: ' +
      `${ratio(row(addresses, 'clientIp, CIDR list, 2 hops') / row(addresses, 'proxy-addr, compiled CIDR list, 2 hops'))} ` +
      `(CIDR list), ${ratio(row(addresses, 'clientIp, hop count 1') / row(addresses, 'proxy-addr, hop count 1'))} ` +
      `(hop count) and ${ratio(row(addresses, 'clientIp, IPv6 chain') / row(addresses, 'proxy-addr, IPv6 chain'))} ` +
      '(IPv6) as fast as proxy-addr.',
  )
  .write();

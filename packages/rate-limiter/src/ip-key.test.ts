import { isIPv6 } from 'node:net';
import { ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipKey } from './ip-key.ts';

describe('ipKey', () => {
  it('keeps IPv4 addresses as they are, or groups them by prefix', () => {
    expect(ipKey('203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey(' 203.0.113.7 ')).toBe('203.0.113.7');
    expect(ipKey('203.0.113.7', { ipv4Prefix: 24 })).toBe('203.0.113.0/24');
    expect(ipKey('203.0.113.7', { ipv4Prefix: 0 })).toBe('0.0.0.0/0');
  });

  it('turns IPv4-mapped IPv6 addresses into the IPv4 address', () => {
    expect(ipKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('::FFFF:cb00:7107')).toBe('203.0.113.7');
    expect(ipKey('0:0:0:0:0:ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('[::ffff:203.0.113.7]')).toBe('203.0.113.7');
  });

  it('groups IPv6 addresses by a /64 by default, in canonical form', () => {
    expect(ipKey('2001:DB8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:0db8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(ipKey('fe80::1%eth0')).toBe('fe80::/64');
    expect(ipKey('2001:db8::1', { ipv6Prefix: 128 })).toBe('2001:db8::1');
    expect(ipKey('2001:db8:abcd:12ff::1', { ipv6Prefix: 56 })).toBe('2001:db8:abcd:1200::/56');
    expect(ipKey('1:0:0:2:0:0:0:3', { ipv6Prefix: 128 })).toBe('1:0:0:2::3');
    expect(ipKey('::1', { ipv6Prefix: 128 })).toBe('::1');
  });

  it('rejects what is not an address, or a prefix out of range, with a ValidationError', () => {
    for (const bad of ['', 'localhost', '300.1.1.1', '1::2::3', 42]) {
      expect(() => ipKey(bad as string)).toThrow(ValidationError);
    }
    expect(() => ipKey('localhost')).toThrow(
      'ipKey: `address` must be an IPv4 or IPv6 address (got "localhost")',
    );
    expect(() => ipKey('::1', { ipv6Prefix: 129 })).toThrow(
      'ipKey: `ipv6Prefix` must be an integer from 0 to 128 (got 129)',
    );
    expect(() => ipKey('1.2.3.4', { ipv4Prefix: -1 })).toThrow(ValidationError);
  });

  it('gives every address of one /64 the same key, and addresses of another /64 another', () => {
    const group = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(group, group, (first, second) => {
        const text = (groups: number[]) => groups.map((value) => value.toString(16)).join(':');
        const sameNetwork = [...first.slice(0, 4), ...second.slice(4)];
        const key = ipKey(text(first));
        expect(key).toMatch(/\/64$/);
        expect(isIPv6(key.slice(0, -3))).toBe(true);
        // Mapped IPv4 addresses are keyed as IPv4: skip the (astronomically rare) case.
        if (!key.includes('.')) expect(ipKey(text(sameNetwork))).toBe(key);
        const differs = first.slice(0, 4).some((value, index) => value !== second[index]);
        if (differs) expect(ipKey(text(second))).not.toBe(key);
      }),
    );
  });

  it('matches a full-length IPv6 key with its own canonical form', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        const key = ipKey(address, { ipv6Prefix: 128 });
        expect(ipKey(key, { ipv6Prefix: 128 })).toBe(key);
      }),
    );
  });

  it('keeps any IPv4 address unchanged', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        expect(ipKey(address)).toBe(address);
      }),
    );
  });
});

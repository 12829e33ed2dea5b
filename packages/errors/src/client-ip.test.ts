import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from './built-in-errors.ts';
import { type ClientIpOptions, clientIp, type TrustProxy } from './client-ip.ts';
import { resetUntrustedForwardingWarning } from './internal/client-ip/warning.ts';

function request(
  remoteAddress: string | undefined,
  headers: Record<string, string | string[]> = {},
): Parameters<typeof clientIp>[0] {
  return { headers, socket: { remoteAddress } };
}

describe('clientIp', () => {
  beforeEach(() => {
    resetUntrustedForwardingWarning();
  });
  afterEach(() => {
    resetUntrustedForwardingWarning();
  });

  it('never believes a forwarding header when no proxy is trusted', () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const forged = request('198.51.100.4', {
      'x-forwarded-for': '1.2.3.4',
      forwarded: 'for=1.2.3.4',
    });
    expect(clientIp(forged)).toBe('198.51.100.4');
    expect(clientIp(forged, { trustProxy: false })).toBe('198.51.100.4');
    expect(clientIp(forged, { trustProxy: 0 })).toBe('198.51.100.4');
    expect(clientIp(forged, { trustProxy: [] })).toBe('198.51.100.4');
    expect(clientIp(forged, { header: 'forwarded' })).toBe('198.51.100.4');
  });

  it('warns once per process when forwarding headers arrive and no proxy is trusted', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    clientIp(request('10.0.0.1'));
    expect(warn).not.toHaveBeenCalled();
    clientIp(request('10.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), { trustProxy: 1 });
    expect(warn).not.toHaveBeenCalled();
    clientIp(request('10.0.0.1', { 'x-forwarded-for': '203.0.113.9' }));
    clientIp(request('10.0.0.1', { forwarded: 'for=203.0.113.9' }));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ code: 'RAMPART_UNTRUSTED_FORWARDING' });
  });

  it('normalises IPv4-mapped IPv6, IPv6 text, ports, brackets and zones', () => {
    expect(clientIp(request('::ffff:127.0.0.1'))).toBe('127.0.0.1');
    expect(clientIp(request('::FFFF:7f00:1'))).toBe('127.0.0.1');
    expect(clientIp(request('2001:DB8:0:0:0:0:0:1'))).toBe('2001:db8::1');
    expect(clientIp(request('fe80::1%eth0'))).toBe('fe80::1');
    const options: ClientIpOptions = { trustProxy: 1 };
    expect(clientIp(request('10.0.0.1', { 'x-forwarded-for': '203.0.113.9:4711' }), options)).toBe(
      '203.0.113.9',
    );
    expect(clientIp(request('10.0.0.1', { 'x-forwarded-for': '[2001:db8::7]:443' }), options)).toBe(
      '2001:db8::7',
    );
    expect(
      clientIp(request('10.0.0.1', { 'x-forwarded-for': ' ::ffff:203.0.113.9 ' }), options),
    ).toBe('203.0.113.9');
  });

  it('reads X-Forwarded-For right to left, stopping at the first untrusted hop', () => {
    const chain = request('10.0.0.2', {
      'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.7, 10.0.0.8',
    });
    expect(clientIp(chain, { trustProxy: ['10.0.0.0/8'] })).toBe('203.0.113.9');
    expect(clientIp(chain, { trustProxy: 1 })).toBe('10.0.0.8');
    expect(clientIp(chain, { trustProxy: 3 })).toBe('203.0.113.9');
    expect(clientIp(chain, { trustProxy: true })).toBe('6.6.6.6');
    expect(clientIp(chain, { trustProxy: 99 })).toBe('6.6.6.6');
    expect(clientIp(chain, { trustProxy: ['10.0.0.2', 'uniquelocal'] })).toBe('203.0.113.9');
    const hops: Array<[string, number]> = [];
    expect(
      clientIp(chain, {
        trustProxy: (address, hop) => {
          hops.push([address, hop]);
          return address.startsWith('10.');
        },
      }),
    ).toBe('203.0.113.9');
    expect(hops).toEqual([
      ['10.0.0.2', 0],
      ['10.0.0.8', 1],
      ['10.0.0.7', 2],
      ['203.0.113.9', 3],
    ]);
  });

  it('joins repeated header lines in order', () => {
    const chain = request('10.0.0.2', { 'x-forwarded-for': ['203.0.113.9', '10.0.0.7'] });
    expect(clientIp(chain, { trustProxy: ['10.0.0.0/8'] })).toBe('203.0.113.9');
  });

  it('reads RFC 7239 Forwarded for= values, quoted IPv6 and ports included', () => {
    const options: ClientIpOptions = {
      trustProxy: ['10.0.0.0/8', 'fd00::/8'],
      header: 'forwarded',
    };
    const header =
      'for=6.6.6.6, For="[2001:db8:cafe::17]:4711";proto=https;by=10.0.0.1, for=fd00::5;host="a;b,c"';
    expect(clientIp(request('10.0.0.2', { forwarded: header }), options)).toBe('2001:db8:cafe::17');
    // Only the configured header is read.
    expect(clientIp(request('10.0.0.2', { 'x-forwarded-for': '203.0.113.9' }), options)).toBe(
      '10.0.0.2',
    );
  });

  it('stops at the last trusted hop when an entry is malformed', () => {
    const xff: ClientIpOptions = { trustProxy: true };
    for (const value of [
      'unknown',
      '_hidden',
      'example.com',
      '1.2.3',
      '1.2.3.4.5',
      '300.1.1.1',
      '[::1',
      '[::1]x',
      '1.2.3.4:99999',
      '',
      ' , ',
      'a'.repeat(10_000),
    ]) {
      const found = clientIp(request('10.0.0.2', { 'x-forwarded-for': `6.6.6.6, ${value}` }), xff);
      expect(found, value).toBe('10.0.0.2');
    }
    const forwarded: ClientIpOptions = { trustProxy: true, header: 'forwarded' };
    for (const value of [
      'for',
      'for=',
      'for="[::1]',
      'for=1.2.3.4;for=5.6.7.8',
      'proto=https',
      'for=unknown',
      'for=_gazonk',
      '=1.2.3.4',
      'for=1.2.3.4 x',
      'for=1.2.3.4,',
      '"for"=1.2.3.4',
    ]) {
      const found = clientIp(
        request('10.0.0.2', { forwarded: `for=6.6.6.6, ${value}` }),
        forwarded,
      );
      expect(found, value).toBe('10.0.0.2');
    }
  });

  it('ignores header values no proxy writes, never throwing a TypeError', () => {
    for (const value of [42, null, {}, [42, '203.0.113.9']]) {
      const found = clientIp(
        { headers: { 'x-forwarded-for': value as never }, socket: { remoteAddress: '10.0.0.1' } },
        { trustProxy: 1 },
      );
      expect(['10.0.0.1', '203.0.113.9']).toContain(found);
    }
    expect(clientIp({ headers: null as never, socket: { remoteAddress: '10.0.0.1' } })).toBe(
      '10.0.0.1',
    );
    expect(clientIp(null as never)).toBe('unknown');
  });

  it('returns unknown for a closed connection', () => {
    expect(clientIp({ headers: {} })).toBe('unknown');
    expect(clientIp(request(undefined))).toBe('unknown');
  });

  it('refuses bad settings with a ValidationError naming the field', () => {
    const plain = request('10.0.0.2', { 'x-forwarded-for': '203.0.113.9' });
    for (const trustProxy of [
      -1,
      1.5,
      Number.NaN,
      'yes',
      ['10.0.0.0/33'],
      ['nope'],
      [42],
      ['[::1]'],
      {},
    ]) {
      expect(() => clientIp(plain, { trustProxy: trustProxy as TrustProxy })).toThrow(
        ValidationError,
      );
      expect(() => clientIp(plain, { trustProxy: trustProxy as TrustProxy })).toThrow(
        /`trustProxy`/,
      );
    }
    expect(() => clientIp(plain, { header: 'x-real-ip' as never })).toThrow(/`header`/);
    expect(() => clientIp(plain, null as never)).toThrow(ValidationError);
  });
});

/** An address written the ways proxies write it, with the normalised text clientIp should return. */
const ipv4 = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((octets) => octets.join('.'));
const ipv6 = fc
  .array(fc.nat(0xffff), { minLength: 8, maxLength: 8 })
  .filter((groups) => !(groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff))
  .map((groups) => groups.map((g) => g.toString(16)).join(':'));

/** An RFC 7239 element for an address as X-Forwarded-For would carry it. */
function forwardedElement(entry: string): string {
  if (entry.startsWith('[')) return `for="${entry}"`; // [v6]:port
  if (entry.includes(':') && !/^[\d.]+:\d+$/.test(entry)) return `for="[${entry}]"`; // v6
  if (entry.includes(':')) return `for="${entry}"`; // v4:port
  return `for=${entry}`; // v4 or a token such as unknown
}

describe('clientIp (properties)', () => {
  it('never takes the address from a hop left of the first untrusted one', () => {
    // Each hop: an address, whether the trust list covers it, and how the proxy wrote it.
    const hop = fc.record({
      trusted: fc.boolean(),
      host: fc.nat(255),
      v6: fc.boolean(),
      form: fc.constantFrom('plain', 'port', 'mapped'),
      malformed: fc.nat(3).map((n) => n === 0),
    });
    const setting = fc.oneof(
      fc.constant<'list'>('list'),
      fc.constant<'function'>('function'),
      fc.nat(6),
      fc.boolean(),
    );
    fc.assert(
      fc.property(
        fc.array(hop, { minLength: 1, maxLength: 8 }),
        setting,
        fc.boolean(),
        (hops, mode, useForwarded) => {
          const text = hops.map((h) =>
            h.v6
              ? `${h.trusted ? 'fd00' : '2001:db8'}::${(h.host + 1).toString(16)}`
              : `${h.trusted ? '10.0.0' : '203.0.113'}.${h.host}`,
          );
          const written = hops.map((h, index) => {
            if (h.malformed && index > 0) return 'unknown';
            const address = text[index] as string;
            if (h.form === 'port') return h.v6 ? `[${address}]:8080` : `${address}:8080`;
            if (h.form === 'mapped' && !h.v6) return `::ffff:${address}`;
            return address;
          });
          // hops[0] is the socket's peer; the header lists the rest left to right.
          const elements = written.slice(1).reverse();
          const header = useForwarded
            ? elements.map((entry) => `${forwardedElement(entry)};proto=https`).join(', ')
            : elements.join(', ');
          const isTrusted = (index: number): boolean => {
            if (typeof mode === 'number') return index < mode;
            if (typeof mode === 'boolean') return mode;
            return (hops[index] as { trusted: boolean }).trusted;
          };
          const trustProxy: TrustProxy =
            mode === 'list'
              ? ['10.0.0.0/8', 'fd00::/8']
              : mode === 'function'
                ? (address) => address.startsWith('10.') || address.startsWith('fd00:')
                : mode;
          // A header the proxies do not set passes through from the client: it must be ignored.
          const forged = useForwarded
            ? { 'x-forwarded-for': '6.6.6.6' }
            : { forwarded: 'for=6.6.6.6' };
          const headerName = useForwarded ? 'forwarded' : 'x-forwarded-for';
          const found = clientIp(
            request(written[0], header === '' ? forged : { ...forged, [headerName]: header }),
            { trustProxy, header: headerName },
          );
          // The model: walk from the peer while trusted; a malformed hop stops at the one before.
          let expected = 0;
          while (isTrusted(expected) && expected + 1 < hops.length) {
            if ((hops[expected + 1] as { malformed: boolean }).malformed) break;
            expected++;
          }
          expect(found).toBe(text[expected]);
          const firstUntrusted = hops.findIndex((_, index) => !isTrusted(index));
          if (firstUntrusted !== -1) {
            expect(text.indexOf(found)).toBeLessThanOrEqual(firstUntrusted);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('normalises every IPv4, IPv4-mapped and IPv6 spelling of an address the same way', () => {
    fc.assert(
      fc.property(ipv4, (address) => {
        const [a = 0, b = 0, c = 0, d = 0] = address.split('.').map(Number);
        const hex = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
        for (const spelling of [
          address,
          `::ffff:${address}`,
          `::ffff:${hex}`,
          `0:0:0:0:0:FFFF:${address}`,
        ]) {
          expect(clientIp(request(spelling))).toBe(address);
        }
      }),
    );
    fc.assert(
      fc.property(ipv6, (address) => {
        const normal = clientIp(request(address));
        expect(clientIp(request(address.toUpperCase()))).toBe(normal);
        expect(clientIp(request(normal))).toBe(normal);
        expect(
          clientIp(request('10.0.0.1', { 'x-forwarded-for': `[${address}]:1` }), { trustProxy: 1 }),
        ).toBe(normal);
      }),
    );
  });

  it('reads dotted quads exactly as net.isIPv4 accepts them', () => {
    const quadish = fc.stringMatching(/^[0-9.]{0,16}$/);
    fc.assert(
      fc.property(fc.oneof(quadish, ipv4), (text) => {
        const found = clientIp(request('10.0.0.1', { 'x-forwarded-for': text }), { trustProxy: 1 });
        expect(found === text).toBe(isIPv4(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on arbitrary header text, and answers an address it was given', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 200 }),
        (xff, forwarded) => {
          for (const header of ['x-forwarded-for', 'forwarded'] as const) {
            const found = clientIp(request('10.0.0.1', { 'x-forwarded-for': xff, forwarded }), {
              trustProxy: true,
              header,
            });
            expect(typeof found).toBe('string');
            expect(
              found === '10.0.0.1' || (header === 'forwarded' ? forwarded : xff).length > 0,
            ).toBe(true);
          }
        },
      ),
    );
  });
});

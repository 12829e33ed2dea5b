import { CircuitOpenError, RateLimitedError, UnavailableError } from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, serverHintMs } from './server-hint.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');

function withResponseHeaders(headers: unknown): Error {
  return Object.assign(new Error('HTTP 503'), { response: { status: 503, headers } });
}

describe('parseRetryAfter', () => {
  it.each([
    ['delay-seconds', '120', 120_000],
    ['zero seconds', '0', 0],
    ['seconds with spaces', ' 7 ', 7_000],
    ['an IMF-fixdate', 'Wed, 01 Jan 2025 12:00:30 GMT', 30_000],
    ['an RFC 850 date', 'Wednesday, 01-Jan-25 12:01:00 GMT', 60_000],
    [
      'an asctime date',
      'Wed Jan  1 12:00:05 2025',
      5_000 - new Date(NOW).getTimezoneOffset() * 60_000,
    ],
    ['a date in the past', 'Wed, 01 Jan 2025 11:00:00 GMT', 0],
  ])('reads %s', (_, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it.each([
    ['a negative number', '-5'],
    ['a fraction', '1.5'],
    ['garbage', 'soon'],
    ['an empty value', ''],
  ])('ignores %s', (_, value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('serverHintMs', () => {
  it.each([
    ['RateLimitedError', new RateLimitedError('slow', { retryAfterMs: 1_500 }), 1_500],
    ['CircuitOpenError', new CircuitOpenError('open', { retryAfterMs: 12_000 }), 12_000],
    ['UnavailableError', new UnavailableError('down', { retryAfterMs: 250.2 }), 251],
  ])('takes retryAfterMs from a %s', (_, error, expected) => {
    expect(serverHintMs(error, NOW)).toBe(expected);
  });

  it('has no hint for a Rampart error without retryAfterMs', () => {
    expect(serverHintMs(new RateLimitedError('slow'), NOW)).toBeUndefined();
  });

  it('reads Retry-After from a fetch Response on the error', () => {
    const headers = new Headers({ 'Retry-After': '3' });
    expect(serverHintMs(withResponseHeaders(headers), NOW)).toBe(3_000);
  });

  it('reads Retry-After from a Node or plain headers object, any case, arrays too', () => {
    expect(serverHintMs(withResponseHeaders({ 'retry-after': '2' }), NOW)).toBe(2_000);
    expect(serverHintMs(withResponseHeaders({ 'Retry-After': ['4', '9'] }), NOW)).toBe(4_000);
    const date = 'Wed, 01 Jan 2025 12:00:10 GMT';
    expect(
      serverHintMs(Object.assign(new Error('x'), { headers: { 'retry-after': date } }), NOW),
    ).toBe(10_000);
  });

  it('prefers Retry-After-Ms, which carries milliseconds', () => {
    const headers = new Headers({ 'retry-after-ms': '350', 'retry-after': '1' });
    expect(serverHintMs(withResponseHeaders(headers), NOW)).toBe(350);
  });

  it('has no hint without a usable header', () => {
    expect(serverHintMs(new Error('x'), NOW)).toBeUndefined();
    expect(serverHintMs(withResponseHeaders({ 'retry-after': 'later' }), NOW)).toBeUndefined();
    expect(serverHintMs(withResponseHeaders(null), NOW)).toBeUndefined();
    expect(serverHintMs('string', NOW)).toBeUndefined();
    const throwing = {
      get() {
        throw new Error('broken');
      },
    };
    expect(serverHintMs(withResponseHeaders(throwing), NOW)).toBeUndefined();
  });
});

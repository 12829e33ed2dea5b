import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  abortSignalSchema,
  ConfigurationError,
  clockSchema,
  durationMsSchema,
  MAX_TIMER_DELAY_MS,
  nameSchema,
  nonNegativeDurationMsSchema,
  optionMessages,
  parseOptions,
  ratioSchema,
  systemClock,
} from './index.ts';

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('systemClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is late-bound: fake timers installed after import move it', () => {
    vi.useFakeTimers({ now: 1_000 });
    expect(systemClock.now()).toBe(1_000);
    vi.advanceTimersByTime(250);
    expect(systemClock.now()).toBe(1_250);
  });
});

describe('option atoms', () => {
  const schema = z.strictObject({
    timeoutMs: durationMsSchema.optional(),
    delayMs: nonNegativeDurationMsSchema.optional(),
    jitter: ratioSchema.optional(),
    name: nameSchema.optional(),
    signal: abortSignalSchema.optional(),
    clock: clockSchema.optional(),
  });

  it('accepts exactly the whole milliseconds a timer honours (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 31)), (value) => {
        const valid = Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_DELAY_MS;
        expect(durationMsSchema.safeParse(value).success).toBe(valid);
        expect(nonNegativeDurationMsSchema.safeParse(value).success).toBe(valid || value === 0);
      }),
    );
  });

  it('accepts ratios from 0 to 1 only (property)', () => {
    fc.assert(
      fc.property(fc.double(), (value) => {
        expect(ratioSchema.safeParse(value).success).toBe(value >= 0 && value <= 1);
      }),
    );
  });

  it.each([
    ['timeoutMs', 2 ** 31, optionMessages.durationMs],
    ['timeoutMs', 0, optionMessages.durationMs],
    ['delayMs', -1, optionMessages.nonNegativeDurationMs],
    ['jitter', 1.5, optionMessages.ratio],
    ['name', '  ', optionMessages.name],
    ['signal', {}, optionMessages.abortSignal],
    ['clock', { now: 1 }, optionMessages.clock],
  ])('words a bad `%s` with its one message', (key, value, message) => {
    const error = configurationError(() => parseOptions(schema, { [key]: value }, 'createThing'));
    expect(error.message.startsWith(`createThing: \`${key}\` ${message} (got `)).toBe(true);
  });
});

describe('parseOptions on options that are not options', () => {
  const schema = z.strictObject({ name: nameSchema, client: z.unknown().optional() });

  it('names the required option when no options are given', () => {
    expect(configurationError(() => parseOptions(schema, undefined, 'createBreaker')).message).toBe(
      'createBreaker: `name` is required',
    );
    const optional = z.strictObject({ ttlMs: durationMsSchema.optional() });
    expect(configurationError(() => parseOptions(optional, undefined, 'createThing')).message).toBe(
      'createThing: the input must be an options object (got undefined)',
    );
  });

  it('says a Redis client was passed instead of `{ client }`', () => {
    class Redis {
      status = 'ready';
      options = Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`o${index}`, index]));
      sendCommand(): void {}
      duplicate(): Redis {
        return new Redis();
      }
    }
    const error = configurationError(() => parseOptions(schema, new Redis(), 'redisStore'));
    expect(error.message).toBe(
      'redisStore: expected a plain options object, got a Redis client; pass the client as `{ client }`',
    );
  });

  it('keeps every message short whatever is passed (property)', () => {
    const notPlain = fc.oneof(
      fc.constant(new Map([[1, 2]])),
      fc.constant(() => 1),
      fc.constant(new (class Settings {})()),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 200 }), fc.anything(), { maxKeys: 200 }),
    );
    fc.assert(
      fc.property(notPlain, (input) => {
        const result = (() => {
          try {
            parseOptions(schema, input, 'createThing');
            return undefined;
          } catch (error) {
            return error;
          }
        })();
        if (result === undefined) return;
        expect(result).toBeInstanceOf(ConfigurationError);
        expect((result as Error).message.length).toBeLessThan(1_500);
      }),
    );
  });

  it('lists five unknown keys, then counts the rest', () => {
    const input = Object.fromEntries(
      Array.from({ length: 17 }, (_, index) => [`extra${index}`, 1]),
    );
    const error = configurationError(() =>
      parseOptions(schema, { name: 'n', ...input }, 'createThing'),
    );
    expect(error.message).toBe(
      'createThing: `extra0` is not a known option; `extra1` is not a known option; `extra2` is not a known option; `extra3` is not a known option; `extra4` is not a known option; the input has 12 more unknown options',
    );
  });

  it('accepts plain and null-prototype objects', () => {
    expect(parseOptions(schema, Object.assign(Object.create(null), { name: 'a' }), 'x').name).toBe(
      'a',
    );
  });
});

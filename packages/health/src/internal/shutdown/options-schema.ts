import { constants } from 'node:os';
import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { Clock } from '../../clock.ts';
import type { Health } from '../../create-health.ts';
import type { ShutdownLogger, ShutdownProcess, ShutdownServer } from '../../shutdown-options.ts';
import { clockSchema, nameSchema, nonNegativeMs, positiveMs } from '../registry/options-schema.ts';

function withMethods<T>(methods: readonly string[], error: string) {
  return z.custom<T>(
    (value) =>
      (typeof value === 'object' || typeof value === 'function') &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    { error },
  );
}

const signalSchema = z.custom<NodeJS.Signals>(
  (value) => typeof value === 'string' && value.startsWith('SIG') && value in constants.signals,
  { error: 'must be a signal name such as SIGTERM' },
);

/** The options of `createShutdown`, parsed. */
export interface ParsedShutdownOptions {
  readonly name?: string | undefined;
  readonly signals?: readonly NodeJS.Signals[] | undefined;
  readonly drainDelayMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly health?: Health | undefined;
  readonly servers?: readonly ShutdownServer[] | undefined;
  readonly logger?: ShutdownLogger | undefined;
  readonly process?: ShutdownProcess | undefined;
  readonly clock?: Clock | undefined;
}

const schema: z.ZodType<ParsedShutdownOptions> = z
  .strictObject(
    {
      name: nameSchema.optional(),
      signals: z
        .array(signalSchema, { error: 'must be an array of signal names' })
        .readonly()
        .optional(),
      drainDelayMs: nonNegativeMs().optional(),
      timeoutMs: positiveMs().optional(),
      health: withMethods<Health>(
        ['markShuttingDown'],
        'must be a registry from createHealth',
      ).optional(),
      servers: z
        .array(withMethods<ShutdownServer>(['close'], 'must be a server with a close() method'), {
          error: 'must be an array of servers',
        })
        .readonly()
        .optional(),
      logger: withMethods<ShutdownLogger>(
        ['info', 'warn', 'error'],
        'must be a logger with info(), warn() and error()',
      ).optional(),
      process: withMethods<ShutdownProcess>(
        ['on', 'off', 'exit'],
        'must have on(), off() and exit() like process',
      ).optional(),
      clock: clockSchema.optional(),
    },
    { error: 'must be an object' },
  )
  .superRefine((options, context) => {
    const drainDelayMs = options.drainDelayMs ?? 5_000;
    const timeoutMs = options.timeoutMs ?? 25_000;
    if (drainDelayMs >= timeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['drainDelayMs'],
        message: `must be below \`timeoutMs\` (${timeoutMs})`,
        input: drainDelayMs,
      });
    }
  });

/** Parses `createShutdown`'s options; throws a `ConfigurationError` naming each bad field. */
export function parseShutdownOptions(input: unknown): ParsedShutdownOptions {
  return parseOptions(schema, input ?? {}, 'createShutdown');
}

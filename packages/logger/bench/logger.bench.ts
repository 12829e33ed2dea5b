/**
 * Cost per log line: raw pino vs @rampart/logger (an active request context and the
 * default redaction) vs winston, all writing to a null destination, plus pino's own ways of
 * getting the same output (ISO time, a child logger per request, redaction paths).
 * Run: `pnpm bench logger`.
 */
import { Writable } from 'node:stream';
import { type CompareResult, compare, ratio, report } from '@rampart/bench-kit';
import { createLogger, defaultRedactedKeys, withLogContext } from '@rampart/logger';
import pino from 'pino';
import winston from 'winston';

const nullDestination = { write(_line: string): void {} };
const nullWritable = new Writable({
  decodeStrings: false,
  write(_chunk, _encoding, callback) {
    callback();
  },
});

const context = { requestId: '3f1c2a9e-5b7d-4e21-9c0a-2d6f8e4b1a73', userId: 'user-42' };
const order = { user: { id: 42, name: 'Ada' }, path: '/orders', items: 3, total: 99.5 };
// Deeper data with an array: every level and item is walked for sensitive keys.
const basket = {
  order: { id: 'o-991', customer: { id: 42, address: { city: 'Lyon', zip: '69001' } } },
  lines: [
    { sku: 'A-1', quantity: 2, price: 9.5 },
    { sku: 'B-7', quantity: 1, price: 42 },
    { sku: 'C-3', quantity: 5, price: 1.25 },
  ],
  total: 67.25,
};

const rawPino = pino({}, nullDestination);
const pinoIsoTime = pino({ timestamp: pino.stdTimeFunctions.isoTime }, nullDestination);
const pinoChild = pinoIsoTime.child(context);
// What pino's own redaction needs for the same coverage: top level, req.headers and one level down.
const quoted = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`);
const pinoRedactPaths = defaultRedactedKeys.flatMap((key) => [
  quoted(key).replace(/^\./, ''),
  `req.headers${quoted(key)}`,
  `*${quoted(key)}`,
]);
const pinoRedacting = pino(
  { timestamp: pino.stdTimeFunctions.isoTime, redact: pinoRedactPaths },
  nullDestination,
).child(context);
const rampart = createLogger({ destination: { stream: nullDestination }, redact: ['ssn'] });
const winstonLogger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
  defaultMeta: context,
  transports: [new winston.transports.Stream({ stream: nullWritable })],
});

const RAMPART = '@rampart/logger, context + redaction';

type Log = (logger: { info(...args: unknown[]): unknown }) => void;

const peers = (log: Log) => [
  { name: 'pino', fn: () => log(rawPino) },
  { name: RAMPART, fn: () => log(rampart) },
  { name: 'winston', fn: () => log(winstonLogger) },
];

/** pino alone producing what @rampart/logger writes; run last so they cannot slow the peers' runs down. */
const pinoAlone = (log: Log) => [
  { name: RAMPART, fn: () => log(rampart) },
  { name: 'pino, ISO time', fn: () => log(pinoIsoTime) },
  { name: 'pino, ISO time, child per request', fn: () => log(pinoChild) },
  { name: 'pino, ISO time, child, redact paths', fn: () => log(pinoRedacting) },
];

// Every case runs inside the context; only @rampart/logger reads it.
const [hello, object, nested, alone] = await withLogContext(context, async () => [
  await compare("info('hello world')", {
    baseline: 'pino',
    cases: peers((logger) => logger.info('hello world')),
  }),
  await compare('info(object)', {
    baseline: 'pino',
    cases: peers((logger) => logger.info(order)),
  }),
  await compare('info(nested object with an array)', {
    baseline: 'pino',
    cases: peers((logger) => logger.info(basket)),
  }),
  await compare('the same line with pino alone: info(object)', {
    baseline: RAMPART,
    cases: pinoAlone((logger) => logger.info(order)),
  }),
]);

function costOf(result: CompareResult | undefined, name: string): number {
  const row = result?.rows.find((candidate) => candidate.name === name);
  return row === undefined ? Number.NaN : 1 / row.relativeToBaseline;
}

function summary(result: CompareResult | undefined, label: string): string {
  const cost = costOf(result, RAMPART);
  const winstonCost = costOf(result, 'winston');
  return (
    `${label}: @rampart/logger costs ${cost.toFixed(2)}× raw pino per line ` +
    `and is ` +
    `${ratio(winstonCost / cost)} as fast as winston.`
  );
}

/** What @rampart/logger costs per line relative to pino configured with the same redaction. */
function redactionSummary(result: CompareResult | undefined): string {
  const pinoRow = result?.rows.find((row) => row.name === 'pino, ISO time, child, redact paths');
  const cost = pinoRow === undefined ? Number.NaN : pinoRow.relativeToBaseline;
  return (
    `info(object): @rampart/logger costs ${cost.toFixed(2)}× pino with ISO time, a child and ` +
    `redaction paths, while it ` +
    'redacts at every depth (arrays, errors under any key, `toJSON()` output) where the paths ' +
    'reach two levels.'
  );
}

await report('logger', { title: '@rampart/logger', rerun: 'pnpm bench logger' })
  .text(
    'One log line to a null destination, raw pino against `@rampart/logger` and winston. ' +
      '`@rampart/logger` runs with an active request context (`requestId`, `userId` from ' +
      '`withLogContext`, no child logger), its default redaction plus one extra key, and ISO ' +
      'timestamps; raw pino with its defaults (epoch timestamps, no redaction, no context); ' +
      'winston with JSON, a timestamp and the context as default metadata.',
  )
  .compareTable(hello)
  .compareTable(object)
  .compareTable(nested)
  .text(
    `${summary(hello, "info('hello world')")}\n\n${summary(object, 'info(object)')}\n\n` +
      `${summary(nested, 'info(nested object with an array)')} Redaction walks every level ` +
      'and array item of a line (down to 16 levels) with one set lookup per key.',
  )
  .text(
    'What the same line costs with pino alone, relative to `@rampart/logger`: ISO ' +
      'timestamps, the context as a child logger made per request (creation not counted), and ' +
      "pino's path redaction configured for the same coverage (top level, `req.headers`, one " +
      'level down: wildcard paths, checked on every field).',
  )
  .compareTable(alone)
  .text(redactionSummary(alone))
  .write();

/**
 * Creating and serialising errors: @rampart/errors vs http-errors and @hapi/boom, plus the
 * cost of stack capture for expected 4xx errors. Run: `pnpm bench errors`.
 */
import Boom from '@hapi/boom';
import { compare, ratio, report } from '@rampart/bench-kit';
import { NotFoundError, serializeError, toProblem } from '@rampart/errors';
import createHttpError from 'http-errors';

const messages = Array.from({ length: 64 }, (_, index) => `No user ${index}`);
let next = 0;
const message = (): string => messages[next++ & 63] ?? '';

const create = await compare('create a 404 error', {
  baseline: 'http-errors',
  cases: [
    { name: 'http-errors', fn: () => createHttpError(404, message()) },
    { name: '@hapi/boom', fn: () => Boom.notFound(message()) },
    { name: 'Rampart NotFoundError', fn: () => new NotFoundError(message()) },
    {
      name: 'Rampart NotFoundError, no stack',
      fn: () => new NotFoundError(message(), { captureStack: false }),
    },
  ],
});

const serialise = await compare('create a 404 error and serialise it for the client', {
  baseline: 'http-errors',
  cases: [
    { name: 'http-errors', fn: () => JSON.stringify(createHttpError(404, message())) },
    { name: '@hapi/boom', fn: () => JSON.stringify(Boom.notFound(message()).output.payload) },
    {
      name: 'Rampart toProblem, no stack',
      fn: () => JSON.stringify(toProblem(new NotFoundError(message(), { captureStack: false }))),
    },
    {
      name: 'Rampart serializeError, no stack',
      fn: () =>
        JSON.stringify(serializeError(new NotFoundError(message(), { captureStack: false }))),
    },
  ],
});

const stack = await compare('stack capture of an expected 4xx error', {
  baseline: 'with stack',
  cases: [
    { name: 'with stack', fn: () => new NotFoundError(message()) },
    { name: 'without stack', fn: () => new NotFoundError(message(), { captureStack: false }) },
  ],
});
const withoutStack = stack.rows.find((row) => row.name === 'without stack');

await report('errors', { title: '@rampart/errors', rerun: 'pnpm bench errors' })
  .text(
    'Creating errors and turning them into what a client receives, against `http-errors` and ' +
      '`@hapi/boom` (both capture a stack on every error). The messages vary per call.',
  )
  .compareTable(create)
  .compareTable(serialise)
  .text(
    'The serialised forms differ: `http-errors` writes its own enumerable fields, Boom its output ' +
      'payload, `toProblem` an RFC 9457 document and `serializeError` the lossless form.',
  )
  .compareTable(stack)
  .text(
    `Creating a 4xx error without stack capture is ${ratio(withoutStack?.relativeToBaseline ?? 0)} ` +
      'as fast as with it.',
  )
  .write();

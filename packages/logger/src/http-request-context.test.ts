import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import { httpRequestLogger } from './http-request-logger.ts';
import { getLogContext, withLogContext } from './log-context.ts';
import { capture, type LogRecord } from './test-fixtures/capture.ts';
import { lineCount, listen, serve } from './test-fixtures/http.ts';

describe('httpRequestLogger context', () => {
  it.each(['next', 'plain'] as const)(
    'runs the rest of the request inside the log context (%s style)',
    async (style) => {
      const { url, output } = await serve(
        async (_request, response, logger) => {
          await sleep(1);
          logger.info({ seen: getLogContext().requestId }, 'inside the handler');
          response.end();
        },
        {},
        style,
      );
      const answer = await fetch(url);
      await lineCount(output, 2);
      const inside = output.records().find((record) => record.msg === 'inside the handler');
      expect(inside).toMatchObject({
        requestId: answer.headers.get('x-request-id'),
        seen: answer.headers.get('x-request-id'),
      });
    },
  );

  it.each(['next', 'plain'] as const)(
    'never mixes the contexts of concurrent requests (%s style)',
    async (style) => {
      const { url, output } = await serve(
        async (request, response, logger) => {
          const delay = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('delay'));
          for (let step = 0; step < 3; step++) {
            await sleep(delay);
            logger.info({ step }, 'working');
          }
          response.end();
        },
        {},
        style,
      );
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, index) => fetch(`${url}/work?delay=${index % 4}`)),
      );
      await lineCount(output, 80);
      const ids = new Set(answers.map((answer) => answer.headers.get('x-request-id')));
      expect(ids.size).toBe(20);
      const byId = new Map<unknown, LogRecord[]>();
      for (const record of output.records()) {
        byId.set(record.requestId, [...(byId.get(record.requestId) ?? []), record]);
      }
      expect(new Set(byId.keys())).toEqual(ids);
      for (const records of byId.values()) {
        expect(records.map((record) => record.msg?.split(' ')[0])).toEqual([
          'working',
          'working',
          'working',
          'GET',
        ]);
      }
    },
  );

  it('works with Connect-style chains and keeps an outer context', async () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    const logRequests = httpRequestLogger(logger);
    const url = await listen((request, response) => {
      withLogContext({ service: 'checkout' }, () => {
        logRequests(request, response, (error?: unknown) => {
          logger.info({ error }, 'next called');
          response.end();
        });
      });
    });
    await fetch(url);
    await lineCount(output, 2);
    for (const record of output.records()) {
      expect(record).toMatchObject({ service: 'checkout', requestId: expect.any(String) });
    }
  });
});

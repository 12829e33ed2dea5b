import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '@rampart/errors';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Reads a JSON request body of at most `maxBytes`: `415` unless the content type is JSON,
 * `413` as soon as the declared or the received length passes the limit (the connection is
 * then closed, so the rest of an oversized body is never read), `400` for malformed JSON.
 * Rejects with the signal's reason when it aborts first.
 *
 * @throws {@link UnsupportedMediaTypeError} for a body that is not declared as JSON.
 * @throws {@link PayloadTooLargeError} for a body over `maxBytes`.
 * @throws {@link ValidationError} for a body that is not valid JSON.
 */
export async function readJsonBody(
  request: IncomingMessage,
  response: ServerResponse,
  maxBytes: number,
  signal: AbortSignal,
): Promise<unknown> {
  if (!JSON_TYPE.test(request.headers['content-type'] ?? '')) {
    throw new UnsupportedMediaTypeError('The body must be application/json');
  }
  const tooLarge = (): InstanceType<typeof PayloadTooLargeError> => {
    response.setHeader('connection', 'close');
    return new PayloadTooLargeError(`The body must be at most ${maxBytes} bytes`, {
      details: { maxBytes },
    });
  };
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: unknown): void => {
      request.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > maxBytes) {
        // Stop reading; the response closes the connection, dropping the rest unread.
        request.pause();
        settle(tooLarge());
      } else chunks.push(chunk);
    };
    const onEnd = (): void => settle();
    const onClose = (): void => settle(new ValidationError('The request body was cut short'));
    const onAbort = (): void => settle(signal.reason);
    if (signal.aborted) {
      settle(signal.reason);
      return;
    }
    request.on('data', onData).on('end', onEnd).on('error', settle).on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const text = Buffer.concat(chunks, received).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('The body is not valid JSON', {
      issues: [{ path: '', message: 'must be valid JSON', code: 'invalid_json' }],
    });
  }
}

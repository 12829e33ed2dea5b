import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { normalizeError, toProblemResponse } from '@rampart/errors';
import { expositionContentTypes, negotiateExpositionFormat } from '../exposition.ts';
import type { MetricsHandler } from '../handler.ts';
import type { ExpositionFormat } from '../types.ts';

const gzipAsync = promisify(gzip);

/** Bodies below this size are sent as they are: gzip would not pay for itself. */
const MIN_GZIP_CHARACTERS = 1024;

/** Builds the `/metrics` request handler over a renderer. */
export function createScrapeHandler(
  render: (format: ExpositionFormat, signal: AbortSignal) => Promise<string>,
  compress: boolean,
): MetricsHandler {
  return (request, response) => {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      response.end('Method Not Allowed\n');
      return;
    }
    const format = negotiateExpositionFormat(request.headers.accept);
    const useGzip = compress && acceptsGzip(request.headers['accept-encoding']);
    // A scraper that gives up (Prometheus' scrape timeout) closes the connection: stop working for it.
    const abandoned = new AbortController();
    response.once('close', () => {
      if (!response.writableFinished)
        abandoned.abort(new Error('the client closed the connection'));
    });
    respond(() => render(format, abandoned.signal), format, useGzip, request, response).catch(
      (error: unknown) => {
        fail(response, error, request);
      },
    );
  };
}

async function respond(
  render: () => Promise<string>,
  format: ExpositionFormat,
  useGzip: boolean,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const text = await render();
  const headers: Record<string, string | number> = {
    'content-type': expositionContentTypes[format],
    'cache-control': 'no-store',
    vary: 'Accept, Accept-Encoding',
  };
  let body: Buffer | string = text;
  if (useGzip && text.length >= MIN_GZIP_CHARACTERS) {
    body = await gzipAsync(text);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (response.destroyed) return;
  response.writeHead(200, headers);
  response.end(request.method === 'HEAD' ? undefined : body);
}

function fail(response: ServerResponse, error: unknown, request: IncomingMessage): void {
  if (response.headersSent || response.destroyed) {
    response.destroy();
    return;
  }
  const problem = toProblemResponse(
    normalizeError(error),
    request.url === undefined ? {} : { instance: request.url },
  );
  response.writeHead(problem.status, problem.headers);
  response.end(problem.body);
}

/** True when `Accept-Encoding` allows gzip (`gzip` or `*` with a non-zero quality). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  let gzipQuality: number | undefined;
  let anyQuality: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...parameters] = part.trim().toLowerCase().split(';');
    let quality = 1;
    for (const parameter of parameters) {
      const [key, value] = parameter.trim().split('=');
      if (key === 'q') quality = Number(value);
    }
    if (Number.isNaN(quality)) continue;
    if (coding.trim() === 'gzip' || coding.trim() === 'x-gzip') gzipQuality = quality;
    else if (coding.trim() === '*') anyQuality = quality;
  }
  return (gzipQuality ?? anyQuality ?? 0) > 0;
}

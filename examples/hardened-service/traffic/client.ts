import { Agent, request as httpRequest } from 'node:http';

/** One request to send. */
export interface RequestSpec {
  readonly method?: string;
  readonly path: string;
  readonly body?: unknown;
  /**
   * The client address a trusted proxy in front of the service would report, sent as
   * `X-Forwarded-For`. The service believes it only when configured to trust this machine.
   */
  readonly clientIp?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A label for reports (`normal`, `flood`, …). */
  readonly label?: string;
}

/** What happened to one request. */
export interface Sample {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  /** The HTTP status, or 0 when no response came (timeout, connection error). */
  readonly status: number;
  /** From sending to the end of the response body, in milliseconds. */
  readonly latencyMs: number;
  /** When it was sent, in `performance.now()` milliseconds. */
  readonly startedAt: number;
  /** The `X-Cache` header: `hit`, `miss` or `stale`. */
  readonly cache: string | undefined;
  /** The `Retry-After` header, in seconds. */
  readonly retryAfter: string | undefined;
  /** The problem's `code` for an `application/problem+json` response. */
  readonly code: string | undefined;
  /** Why no response came, for status 0. */
  readonly error: string | undefined;
  readonly body: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** Sends requests to one service over keep-alive connections. */
export interface TrafficClient {
  send(spec: RequestSpec): Promise<Sample>;
  /** Closes every connection. */
  close(): void;
}

/**
 * Creates an HTTP client for the service at `baseUrl`: keep-alive connections (at most
 * `maxSockets`), a hard `timeoutMs` per request (past it the request is abandoned and
 * reported as status 0), and a {@link Sample} for every request, failed or not. It never
 * rejects.
 */
export function createTrafficClient(
  baseUrl: string,
  options: { timeoutMs?: number; maxSockets?: number } = {},
): TrafficClient {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const base = new URL(baseUrl);
  const host = base.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    send(spec) {
      const method = spec.method ?? 'GET';
      const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
      const headers: Record<string, string> = { accept: 'application/json', ...spec.headers };
      if (spec.clientIp !== undefined) headers['x-forwarded-for'] = spec.clientIp;
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const startedAt = performance.now();
      const sample = (fields: Partial<Sample>): Sample => ({
        label: spec.label ?? 'request',
        method,
        path: spec.path,
        status: 0,
        latencyMs: performance.now() - startedAt,
        startedAt,
        cache: undefined,
        retryAfter: undefined,
        code: undefined,
        error: undefined,
        body: '',
        headers: {},
        ...fields,
      });
      return new Promise<Sample>((resolve) => {
        const outgoing = httpRequest(
          {
            agent,
            host,
            port: base.port,
            method,
            path: spec.path,
            headers,
            signal: AbortSignal.timeout(timeoutMs),
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', (error) => resolve(sample({ error: error.message })));
            response.on('end', () => {
              const body = Buffer.concat(chunks).toString('utf8');
              const problem = String(response.headers['content-type']).startsWith(
                'application/problem+json',
              );
              let code: string | undefined;
              if (problem) {
                try {
                  code = (JSON.parse(body) as { code?: string }).code;
                } catch {
                  code = undefined;
                }
              }
              const header = (name: string): string | undefined => {
                const value = response.headers[name];
                return typeof value === 'string' ? value : undefined;
              };
              resolve(
                sample({
                  status: response.statusCode ?? 0,
                  cache: header('x-cache'),
                  retryAfter: header('retry-after'),
                  code,
                  body,
                  headers: response.headers,
                }),
              );
            });
          },
        );
        outgoing.on('error', (error) => {
          resolve(sample({ error: error.name === 'AbortError' ? 'timeout' : error.message }));
        });
        outgoing.end(payload);
      });
    },
    close() {
      agent.destroy();
    },
  };
}

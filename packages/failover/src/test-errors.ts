/** A connection error as Node's HTTP clients raise it (`ECONNREFUSED`), for tests. */
export class ConnectionRefused extends Error {
  readonly code = 'ECONNREFUSED';
  constructor(host: string) {
    super(`connect ECONNREFUSED ${host}`);
    this.name = 'ConnectionRefused';
  }
}

/** An HTTP error with a status, as an HTTP client would raise it, for tests. */
export class HttpError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  constructor(status: number, retryAfterMs?: number) {
    super(`answered ${status}`);
    this.name = 'HttpError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

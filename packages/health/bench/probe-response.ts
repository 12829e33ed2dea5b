/**
 * A stand-in for `node:http`'s `ServerResponse` (and a request), the same for every contender,
 * so a benchmark measures the probe handlers' own work rather than sockets and the kernel.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request for `path` and a response that resolves `done` when `end()` is called. */
export function probeExchange(path: string): {
  request: IncomingMessage;
  response: ServerResponse;
  done: Promise<number>;
} {
  let finish: (status: number) => void = () => {};
  const done = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const headers: Record<string, unknown> = {};
  const response = {
    statusCode: 200,
    headersSent: false,
    destroyed: false,
    writableFinished: false,
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = value;
      return response;
    },
    writeHead(status: number, more?: Record<string, unknown>) {
      response.statusCode = status;
      if (more !== undefined) Object.assign(headers, more);
      response.headersSent = true;
      return response;
    },
    end(_body?: string) {
      response.writableFinished = true;
      finish(response.statusCode);
      return response;
    },
    once() {
      return response;
    },
  };
  const request = { url: path, method: 'GET', headers: {} };
  return {
    request: request as unknown as IncomingMessage,
    response: response as unknown as ServerResponse,
    done,
  };
}

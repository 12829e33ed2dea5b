/**
 * Three simulated AI providers behind one local node:http server, each with its own way of
 * failing, and a switch for a scripted outage:
 * - `/alpha`: fast (about 20 ms) with a slow tail (one call in sixteen takes 400 ms);
 * - `/beta`: 60 ms, but one call in four answers 502;
 * - `/gamma`: 40 ms, rate-limited to 5 calls per 200 ms window, then 429 with `retry-after-ms`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which providers are down (answer 503) right now. */
export const outage: Set<string> = new Set();

/** Calls each provider received. */
export const received: Map<string, number> = new Map();

let gammaWindowStart = 0;
let gammaInWindow = 0;
let alphaCalls = 0;
let betaCalls = 0;

function behaviour(name: string): {
  delayMs: number;
  status: number;
  headers?: Record<string, string>;
} {
  if (outage.has(name)) return { delayMs: 5, status: 503 };
  switch (name) {
    case 'alpha':
      alphaCalls++;
      return { delayMs: alphaCalls % 16 === 0 ? 400 : 20, status: 200 };
    case 'beta':
      betaCalls++;
      return { delayMs: 60, status: betaCalls % 4 === 0 ? 502 : 200 };
    default: {
      const now = Date.now();
      if (now - gammaWindowStart >= 200) {
        gammaWindowStart = now;
        gammaInWindow = 0;
      }
      gammaInWindow++;
      if (gammaInWindow > 5) {
        const waitMs = 200 - (now - gammaWindowStart);
        return { delayMs: 2, status: 429, headers: { 'retry-after-ms': String(waitMs) } };
      }
      return { delayMs: 40, status: 200 };
    }
  }
}

/** Starts the providers' server on a free port; resolves with its base URL and the server. */
export async function startProviders(): Promise<{ base: string; server: Server }> {
  const server = createServer((request, response) => {
    const name = (request.url ?? '/').slice(1);
    received.set(name, (received.get(name) ?? 0) + 1);
    const { delayMs, status, headers } = behaviour(name);
    const timer = setTimeout(() => {
      response.writeHead(status, { 'content-type': 'text/plain', ...headers });
      response.end(status === 200 ? `${name} says hello` : `${name} failed`);
    }, delayMs);
    // A caller that gave up (a lost hedge) closes the connection: stop working for it.
    response.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

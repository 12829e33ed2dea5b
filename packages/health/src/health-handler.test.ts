import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InternalError } from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealth, type HealthDetails, healthHandler } from './index.ts';

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(
  handler: (request: IncomingMessage, response: never) => void,
): Promise<string> {
  const server = createServer((request, response) => handler(request, response as never));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function registry() {
  const health = createHealth();
  health.add('db', () => ({ status: 'pass', observedValue: 4, observedUnit: 'ms' }));
  health.add('search', () => false, { critical: false });
  health.add('loop', () => true, { groups: ['liveness'] });
  return health;
}

describe('healthHandler', () => {
  it('answers application/health+json with 200 for warn and details when allowed', async () => {
    const url = await serve(healthHandler(registry(), { group: 'readiness', details: 'always' }));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/health+json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'warn',
      checks: {
        db: [{ status: 'pass', observedValue: 4, observedUnit: 'ms', critical: true }],
        search: [{ status: 'warn', output: 'returned false', critical: false }],
      },
    });
    expect(Object.keys(body.checks as object)).toEqual(['db', 'search']);
  });

  it('answers 503 for fail and shows only the status without details', async () => {
    const health = createHealth({
      checks: {
        db: () => {
          throw new InternalError('connect ECONNREFUSED 10.1.2.3:5432 user=admin');
        },
      },
    });
    const url = await serve(healthHandler(health));
    const response = await fetch(url);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'fail' });
  });

  it('never sends error messages or stacks of failed checks, even with details', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8 }), async (secret) => {
        const health = createHealth({
          checks: {
            thrown: () => {
              throw new Error(secret);
            },
            internal: async () => {
              throw new InternalError(secret);
            },
          },
        });
        const url = await serve(healthHandler(health, { details: 'always' }));
        const text = await (await fetch(url)).text();
        expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
        expect(text).not.toContain('at ');
        expect(JSON.parse(text).checks.internal[0].output).toBe('failed with E_INTERNAL');
      }),
      { numRuns: 15 },
    );
  });

  it('shows details only to requests the function accepts, and none when it throws', async () => {
    const details: HealthDetails = (request) => {
      if (request.headers['x-boom'] !== undefined) throw new Error('boom');
      return request.headers.authorization === 'Bearer ops';
    };
    const url = await serve(healthHandler(registry(), { group: 'readiness', details }));
    const allowed = await (await fetch(url, { headers: { authorization: 'Bearer ops' } })).json();
    const denied = await (await fetch(url)).json();
    const broken = await (
      await fetch(url, { headers: { authorization: 'Bearer ops', 'x-boom': '1' } })
    ).json();
    expect(allowed).toHaveProperty('checks');
    expect(denied).toEqual({ status: 'warn' });
    expect(broken).toEqual({ status: 'warn' });
  });

  it('answers liveness from liveness checks only and readiness 503 once shutting down', async () => {
    const health = registry();
    const live = await serve(healthHandler(health, { group: 'liveness', details: 'always' }));
    const ready = await serve(healthHandler(health, { group: 'readiness', details: 'always' }));
    health.markShuttingDown();
    const readiness = await fetch(ready);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toEqual({ status: 'fail', output: 'shutting down', checks: {} });
    const liveness = await fetch(live);
    expect(liveness.status).toBe(200);
    expect(Object.keys(((await liveness.json()) as { checks: object }).checks)).toEqual(['loop']);
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const url = await serve(healthHandler(registry()));
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('rejects a bad registry, group or details with a ConfigurationError', () => {
    expect(() => healthHandler({} as never)).toThrow(/`health`/);
    expect(typeof healthHandler(registry(), null as never)).toBe('function');
    expect(() => healthHandler(registry(), { group: 'ready' as never })).toThrow(/`group`/);
    expect(() => healthHandler(registry(), { details: 'sometimes' as never })).toThrow(/`details`/);
  });
});

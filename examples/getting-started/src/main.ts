/**
 * The server of the getting-started guide (`src/server.ts`, shown in full in
 * docs/getting-started.md), started on a free port and called: a product twice (one database
 * query), a product that does not exist, an unknown route and a burst past the rate limit.
 * Then it shuts down, prints what the client saw after the server's JSON log lines, and exits.
 *
 * Run: pnpm --filter @rampart/example-getting-started start
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { queries } from './database.ts';
import { server, shutdown } from './server.ts';

server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const seen: string[] = [];

for (const path of ['/products/1', '/products/1', '/products/42', '/about']) {
  const response = await fetch(`${base}${path}`);
  const body = await response.text();
  seen.push(`GET ${path} → ${response.status} ${response.headers.get('content-type')}`);
  seen.push(`  ${body}`);
}
seen.push(`database queries: ${queries.count} (the second /products/1 came from the cache)`);

const burst = await Promise.all(
  Array.from({ length: 8 }, async () => {
    const response = await fetch(`${base}/products/2`);
    return { response, body: await response.text() };
  }),
);
const limited = burst.filter(({ response }) => response.status === 429);
seen.push(`8 more requests → ${burst.length - limited.length} × 200, ${limited.length} × 429`);
const last = limited.at(-1);
if (last !== undefined) {
  for (const name of ['ratelimit-policy', 'ratelimit', 'retry-after', 'content-type']) {
    seen.push(`  ${name}: ${last.response.headers.get(name)}`);
  }
  seen.push(`  ${last.body}`);
}

await shutdown();
console.log(`\n${seen.join('\n')}`);

import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

/** `{ provider: count }` from a line such as `2. alpha down: served by gamma 8, beta 22`. */
function servedBy(out: string, title: string): Record<string, number> {
  const line = out.split('\n').find((candidate) => candidate.startsWith(`${title}: served by `));
  expect(line, `no line for ${title}`).toBeDefined();
  const shares = (line ?? '').slice(`${title}: served by `.length).split(', ');
  return Object.fromEntries(
    shares.map((share) => {
      const cut = share.lastIndexOf(' ');
      return [share.slice(0, cut), Number(share.slice(cut + 1))];
    }),
  );
}

describe('examples/provider-failover', () => {
  it('serves each phase from the right providers, prints latencies and exits', async () => {
    const result = await runExample('provider-failover');
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    // 1. healthy: the preferred provider serves most requests (a hedge may win a few)
    const healthy = servedBy(out, '1. all healthy');
    expect(healthy.alpha).toBeGreaterThanOrEqual(25);
    // 2. alpha down: its circuit opens and the others answer every request
    const down = servedBy(out, '2. alpha down');
    expect(down.alpha).toBeUndefined();
    expect(Object.keys(down).every((name) => name === 'beta' || name === 'gamma')).toBe(true);
    expect(out).toMatch(/alpha's circuit: open/);
    // 3. alpha back: a trial call closes its circuit and it serves again
    expect(servedBy(out, '3. alpha back').alpha).toBeGreaterThanOrEqual(18);
    // 4. every provider down: the last resort answers everything, no error reaches the client
    expect(servedBy(out, '4. every provider down')).toEqual({ 'last-resort': 15 });
    expect(out.match(/latency p50 \d+ ms, p95 \d+ ms, p99 \d+ ms/g)).toHaveLength(4);
    expect(out).toMatch(/done\n$/);
  });
});

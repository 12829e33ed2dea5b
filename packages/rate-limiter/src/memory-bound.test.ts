import { fileURLToPath } from 'node:url';
import { runToExit } from '@rampart/test-harness';
import { describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

/**
 * Fills a bounded structure with `warm` distinct keys, measures the heap after a full GC, then
 * sends `total` distinct keys in all and measures again: the growth is what the structure keeps
 * per key beyond its bound. Runs in a child process with `--expose-gc` so the measure is exact.
 */
async function heapGrowth(setup: string, touch: string, warm: number, total: number) {
  const source = `
    ${setup}
    const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };
    for (let index = 0; index < ${warm}; index++) ${touch};
    const before = heap();
    for (let index = ${warm}; index < ${total}; index++) ${touch};
    const after = heap();
    console.log(JSON.stringify({ growth: after - before, size }));
  `;
  const result = await runToExit(
    process.execPath,
    ['--expose-gc', '--conditions=@rampart/source', '--input-type=module', '--eval', source],
    { cwd: packageDirectory, timeoutMs: 60_000 },
  );
  expect(result, result.stderr).toMatchObject({ code: 0, timedOut: false });
  return JSON.parse(result.stdout.trim()) as { growth: number; size: number };
}

const MAX_KEYS = 1_000;
/** Far below the ~8 bytes per key ever seen that an unreleased queue keeps (2.4 MB here). */
const ALLOWED_GROWTH = 512 * 1024;

describe('bounded by maxKeys whatever the number of distinct keys', () => {
  it('memoryStore keeps its heap flat from 10× to 300× maxKeys distinct keys', async () => {
    const { growth, size } = await heapGrowth(
      `import { memoryStore } from './src/index.ts';
       const store = memoryStore({ maxKeys: ${MAX_KEYS} });
       const limits = [{ name: 'minute', algorithm: 'gcra', limit: 10, windowMs: 60_000, capacity: 10 }];
       let size = 0;
       const consume = (index) => store.consume({ prefix: 'p:', key: 'user-' + index, limits, cost: 1, nowMs: 1_000 });`,
      'await consume(index)',
      10 * MAX_KEYS,
      300 * MAX_KEYS,
    );
    expect(size).toBe(0);
    expect(growth).toBeLessThan(ALLOWED_GROWTH);
  }, 60_000);

  it('the fallback of a limiter whose store fails stays bounded by its 100,000 keys', async () => {
    const { growth, size } = await heapGrowth(
      `import { createRateLimiter } from './src/index.ts';
       const failing = () => Promise.reject(new Error('store down'));
       const store = { timeSource: 'caller', consume: failing, peek: failing, reward: failing,
                       reset: failing, close: async () => {} };
       const limiter = createRateLimiter({ limits: [{ name: 'minute', limit: 10, windowMs: 60_000 }], store });
       let size = 0;`,
      `{ const decision = await limiter.consume('user-' + index); if (decision.source !== 'fallback') size++; }`,
      // Past its bound and one compaction of its age queue (2 × 100,000 slots) before measuring.
      250_000,
      550_000,
    );
    expect(size).toBe(0);
    expect(growth).toBeLessThan(2 * ALLOWED_GROWTH);
  }, 120_000);

  it('the block cache keeps its heap flat from 10× to 300× maxKeys blocked keys', async () => {
    const { growth, size } = await heapGrowth(
      `import { createBlockCache } from './src/internal/block-cache.ts';
       const cache = createBlockCache(${MAX_KEYS});
       const decision = { allowed: false, cost: 1, retryAfterMs: 60_000, limits: [] };
       let size = 0;`,
      `{ cache.set('user-' + index, decision, 1_000); size = cache.size - ${MAX_KEYS}; }`,
      10 * MAX_KEYS,
      300 * MAX_KEYS,
    );
    expect(size).toBe(0);
    expect(growth).toBeLessThan(ALLOWED_GROWTH);
  }, 60_000);
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

const root = new URL('..', import.meta.url).pathname;
const directory = `${root}examples/getting-started/`;

describe('the getting-started guide', () => {
  it('shows the example server and its database exactly as they run', () => {
    const guide = readFileSync(`${root}docs/getting-started.md`, 'utf8');
    for (const file of ['server.ts', 'database.ts']) {
      const source = readFileSync(`${directory}src/${file}`, 'utf8');
      expect(guide, file).toContain(`<!-- file: ${file} -->\n\`\`\`ts\n${source}\`\`\``);
    }
  });

  it('serves, caches, renders problems, limits and exits on its own', async () => {
    const result = await runExample('getting-started');
    expect(result.timedOut, result.stdout).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');

    const lines = result.stdout.split('\n');
    const logs = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { requestId?: string; msg: string });
    const text = lines.filter((line) => !line.startsWith('{')).join('\n');
    const bodyAfter = (heading: string): Record<string, unknown> => {
      const index = lines.indexOf(heading);
      expect(index, heading).toBeGreaterThanOrEqual(0);
      return JSON.parse(lines[index + 1] ?? '') as Record<string, unknown>;
    };

    expect(text.match(/^GET \/products\/1 → 200 application\/json$/gm)).toHaveLength(2);
    expect(text).toMatch(/^database queries: 2 /m);
    expect(bodyAfter('GET /products/42 → 404 application/problem+json')).toMatchObject({
      status: 404,
      code: 'E_NOT_FOUND',
      detail: 'No product 42',
      details: { id: '42' },
    });
    expect(bodyAfter('GET /about → 404 application/problem+json')).toMatchObject({
      code: 'E_NOT_FOUND',
      instance: '/about',
    });
    expect(text).toMatch(/^8 more requests → 6 × 200, 2 × 429$/m);
    expect(text).toMatch(/^ {2}ratelimit-policy: "per-ip";q=10;w=60$/m);
    expect(text).toMatch(/^ {2}retry-after: [1-9]\d*$/m);
    expect(text).toMatch(/"code":"E_RATE_LIMITED"/);

    // One line per request, each with its id, all written before the process ended.
    expect(logs.filter((line) => /^GET \S+ \d{3} in/.test(line.msg))).toHaveLength(12);
    expect(logs.every((line) => typeof line.requestId === 'string')).toBe(true);
  });
});

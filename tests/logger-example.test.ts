import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

interface Line {
  readonly level: number;
  readonly msg: string;
  readonly requestId?: string;
  readonly [field: string]: unknown;
}

describe('examples/logger', () => {
  it('logs requests with their ids, warns about slow work, redacts secrets and exits on its own', async () => {
    const result = await runExample('logger');
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Line);

    // Lines written deep inside the request carry the id the client sent, and nothing secret.
    const clientLines = lines.filter((line) => line.requestId === 'client-abc-123');
    expect(clientLines.map((line) => line.msg)).toEqual([
      'query ran',
      expect.stringMatching(/^db\.findOrder took/),
      'order served',
      expect.stringMatching(/^GET \/orders\/42 200 in/),
    ]);
    expect(clientLines[2]).toMatchObject({ userId: 'user-7', session: { token: '[Redacted]' } });
    expect(result.stdout).not.toContain('s3cr3t');
    expect(result.stdout).not.toContain('abc123"');

    // Slow work: a warning from timed and a slow request line with the same generated id.
    const slow = lines.filter((line) => line.level === 40 && line.requestId !== undefined);
    const report = slow.find((line) => line.operation === 'report.build');
    expect(report?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(slow).toContainEqual(
      expect.objectContaining({ requestId: report?.requestId, slow: true }),
    );

    // One line per request: the checkout's expected 503 is its request line, at warn, with
    // the error's code and cause; no error-level line is written for it.
    const checkout = lines.filter((line) => /\/checkout/.test(String(line.msg)));
    expect(checkout).toHaveLength(1);
    expect(lines.filter((line) => line.level === 50)).toEqual([]);
    expect(checkout).toContainEqual(
      expect.objectContaining({
        level: 40,
        res: { statusCode: 503 },
        err: expect.objectContaining({
          code: 'E_UNAVAILABLE',
          cause: expect.objectContaining({ code: 'ECONNREFUSED' }),
        }),
      }),
    );
    expect(lines.at(-1)?.msg).toBe('server closed');
    expect(result.stdout).toContain('logger closed: every line written');
    expect(result.stdout).toMatch(/^\/orders\/42 → 200 \(x-request-id: client-abc-123\)$/m);
  });
});

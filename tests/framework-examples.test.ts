import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasRedisServer, type RedisServer, startRedisServer } from '@rampart/test-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

const root = new URL('..', import.meta.url).pathname;
const frameworks = ['express', 'fastify'] as const;

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly requestId?: string;
  readonly [field: string]: unknown;
}

interface Problem {
  readonly type: string;
  readonly status: number;
  readonly code: string;
  readonly [field: string]: unknown;
}

/** The line right after the one matching `pattern`: where the example prints a response body. */
function lineAfter(lines: readonly string[], pattern: RegExp): string {
  const index = lines.findIndex((line) => pattern.test(line));
  expect(index, `no line matches ${pattern}`).toBeGreaterThanOrEqual(0);
  return (lines[index + 1] ?? '').trim();
}

describe.each(frameworks)('examples/%s', (framework) => {
  it('limits, caches, renders problems, exposes metrics, logs with request ids and exits on its own', async () => {
    const result = await runExample(framework);
    expect(result.timedOut, result.stdout).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');

    const all = result.stdout.split('\n');
    const logs = all
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    const report = all.filter((line) => !line.startsWith('{'));
    const text = report.join('\n');

    // A normal call: the response's request id is the one on the request's log line.
    const hello = text.match(
      /^ {2}GET \/hello → 200 \{"message":"hello"\} \(x-request-id: ([\w-]+)\)$/m,
    );
    expect(hello).not.toBeNull();
    expect(logs).toContainEqual(
      expect.objectContaining({
        requestId: hello?.[1],
        msg: expect.stringMatching(/^GET \/hello 200 in/),
      }),
    );

    // Probes from @rampart/health: liveness, readiness with its checks, not logged as requests.
    expect(text).toMatch(/^ {2}GET \/livez → 200 pass$/m);
    expect(text).toMatch(/^ {2}GET \/readyz → 200 pass$/m);
    expect(text).toMatch(
      /^ {2}GET \/readyz → 200 warn \(quotes-upstream: .*quotes-upstream open\)$/m,
    );

    // The burst: exactly the limit passes, the rest get 429 problem+json with RateLimit headers.
    expect(text).toMatch(/^ {2}15 × GET \/hello → 10 × 200, 5 × 429$/m);
    expect(text).toMatch(/^ {4}ratelimit-policy: "per-ip";q=10;w=60$/m);
    expect(text).toMatch(/^ {4}ratelimit: "per-ip";r=0;t=\d+$/m);
    expect(text).toMatch(/^ {4}retry-after: [1-9]\d*$/m);
    const limited = JSON.parse(
      lineAfter(report, /^ {4}content-type: application\/problem\+json/),
    ) as Problem;
    expect(limited).toMatchObject({
      status: 429,
      code: 'E_RATE_LIMITED',
      type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
      retryAfterMs: expect.any(Number),
      'violated-policies': ['per-ip'],
    });
    expect(text).toMatch(/^ {2}meanwhile another address: GET \/hello → 200$/m);

    // The cached endpoint: a miss that rode out an upstream blip with a retry, then a hit.
    expect(text).toMatch(
      /^ {2}GET \/quotes\/ACME → 200, x-cache: miss, upstream calls so far: 2$/m,
    );
    expect(text).toMatch(/^ {2}GET \/quotes\/ACME → 200, x-cache: hit, upstream calls so far: 2$/m);
    const retried = logs.find((line) => line.msg === 'quote upstream failed, retrying');
    expect(retried?.err).toMatchObject({ code: 'ECONNRESET' });
    // The retry's log line, written deep inside the handler, carries the request's id.
    expect(logs).toContainEqual(
      expect.objectContaining({
        requestId: retried?.requestId,
        msg: expect.stringMatching(/^GET \/quotes\/ACME 200 in/),
      }),
    );

    // Not found: problem+json through the same error handler.
    const notFound = JSON.parse(
      lineAfter(report, /^ {2}GET \/nope → 404 content-type: application\/problem\+json/),
    ) as Problem;
    expect(notFound).toMatchObject({ status: 404, code: 'E_NOT_FOUND', instance: '/nope' });

    // The outage: retries exhausted and the breaker opens; then it fails fast, with Retry-After.
    expect(text).toMatch(/^ {2}\[breaker\] quotes-upstream: closed → open \(failure-threshold\)$/m);
    expect(text).toMatch(/^ {2}GET \/quotes\/GLOBEX → 503 E_UNAVAILABLE, upstream calls: 3$/m);
    expect(text).toMatch(
      /^ {2}GET \/quotes\/INITECH → 503 E_CIRCUIT_OPEN, retry-after: (29|30), upstream calls: 0$/m,
    );

    // RED metrics by route template and error code.
    expect(text).toMatch(/^ {2}GET \/metrics → 200 content-type: text\/plain; version=0\.0\.4/m);
    const count = (route: string, status: number, errorType: string): number => {
      const line = report.find((candidate) =>
        candidate.includes(
          `http_route="${route}",http_response_status_code="${status}",error_type="${errorType}"}`,
        ),
      );
      return Number(line?.trim().split(' ').at(-1));
    };
    expect(report.some((line) => line.includes('http_server_request_duration_seconds'))).toBe(true);
    expect(count('/hello', 200, '')).toBe(12);
    expect(count('/quotes/:symbol', 200, '')).toBe(2);
    expect(count('_UNMATCHED', 404, 'E_NOT_FOUND')).toBe(1);
    expect(count('/quotes/:symbol', 503, 'E_UNAVAILABLE')).toBe(1);
    expect(count('/quotes/:symbol', 503, 'E_CIRCUIT_OPEN')).toBe(1);
    expect(text).not.toMatch(/http_route="\/quotes\/ACME"/);
    // instrument(metrics): the breaker's state as a gauge (open = 1); logEvents(logger): a line
    // saying it opened, carrying the id of the request whose failure opened it.
    expect(text).toMatch(
      /^ {4}rampart_circuit_breaker_state\{[^}]*name="quotes-upstream"[^}]*\} 1$/m,
    );
    const opened = logs.find(
      (line) =>
        line.level >= 40 &&
        line.requestId !== undefined &&
        /quotes-upstream.*opened|opened.*quotes-upstream/.test(line.msg),
    );
    expect(opened?.requestId).toBe(
      logs.find((line) => /^GET \/quotes\/GLOBEX 503 in/.test(line.msg))?.requestId,
    );

    // Every request was logged with an id; the report comes after the logger flushed.
    expect(logs.filter((line) => /^GET \S+ \d{3} in/.test(line.msg))).toHaveLength(23);
    expect(
      logs
        .filter((line) => /^GET /.test(line.msg))
        .every((line) => typeof line.requestId === 'string'),
    ).toBe(true);
    expect(report.at(-1) === '' ? report.at(-2) : report.at(-1)).toBe(
      'Closed the server, cache, rate limiter, breaker, metrics and logger.',
    );
  });
});

describe('the framework boundary', () => {
  const manifest = (path: string): Record<string, Record<string, string> | undefined> =>
    JSON.parse(readFileSync(join(root, path), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
  const dependencyNames = (path: string): string[] => {
    const json = manifest(path);
    return ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap(
      (field) => Object.keys(json[field] ?? {}),
    );
  };

  it('no Rampart package depends on a web framework; the examples do', () => {
    const packages = readdirSync(join(root, 'packages'));
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) {
      const names = dependencyNames(`packages/${name}/package.json`);
      expect(names, name).not.toContain('express');
      expect(names, name).not.toContain('fastify');
    }
    expect(dependencyNames('examples/express/package.json')).toContain('express');
    expect(dependencyNames('examples/fastify/package.json')).toContain('fastify');
  });
});

describe.runIf(hasRedisServer()).each(frameworks)('examples/%s on Redis', (framework) => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.stop());

  it('limits and caches through Redis, then closes its connection and exits on its own', async () => {
    const result = await runExample(framework, { env: { ...process.env, REDIS_URL: server.url } });
    expect(result.timedOut, result.stdout).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^ {2}15 × GET \/hello → 10 × 200, 5 × 429$/m);
    const client = new Redis(server.url);
    try {
      const keys = await client.keys('*');
      expect(keys.some((key) => key.startsWith(`quotes-${framework}:rl:`))).toBe(true);
      expect(
        keys.some((key) => key.includes(`quotes-${framework}:`) && !key.includes(':rl:')),
      ).toBe(true);
    } finally {
      client.disconnect();
    }
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import {
  parseExposition,
  sampleValue,
} from '../packages/metrics/src/test-support/exposition-parser.ts';
import { runExample } from './run-example.ts';

describe('examples/metrics', () => {
  it('serves its own requests, negotiates OpenMetrics for Prometheus and prints a valid scrape', async () => {
    const result = await runExample('metrics');
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^GET \/users\/1 → 200$/m);
    expect(result.stdout).toMatch(/^GET \/reports → 429$/m);
    expect(result.stdout).toMatch(
      /^GET \/metrics \(no Accept\) +→ text\/plain; version=0\.0\.4; charset=utf-8$/m,
    );
    expect(result.stdout).toMatch(
      /^GET \/metrics \(Prometheus' Accept\) → application\/openmetrics-text; version=1\.0\.0; charset=utf-8$/m,
    );

    const start = result.stdout.indexOf('# HELP ');
    const end = result.stdout.indexOf('# EOF\n') + '# EOF\n'.length;
    const families = parseExposition(result.stdout.slice(start, end), 'openmetrics');
    const family = 'http_server_request_duration_seconds';
    const count = (labels: Record<string, string>): number =>
      sampleValue(families, family, `${family}_count`, { service: 'example', ...labels });
    expect(
      count({
        http_request_method: 'GET',
        http_route: '/users/:id',
        http_response_status_code: '200',
        error_type: '',
      }),
    ).toBe(2);
    expect(
      count({
        http_request_method: 'GET',
        http_route: '/reports',
        http_response_status_code: '429',
        error_type: 'E_RATE_LIMITED',
      }),
    ).toBe(1);
    expect(
      count({
        http_request_method: 'GET',
        http_route: '_UNMATCHED',
        http_response_status_code: '404',
        error_type: 'E_NOT_FOUND',
      }),
    ).toBe(1);
    expect(
      sampleValue(families, 'orders', 'orders_total', { channel: 'web', service: 'example' }),
    ).toBe(1);
    expect(result.stdout).not.toMatch(/http_route="\/(users\/\d|nowhere)/);
  });
});

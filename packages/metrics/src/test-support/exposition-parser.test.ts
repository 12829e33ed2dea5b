import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from './exposition-parser.ts';

const valid = [
  '# HELP http_requests_total Requests \\\\ served\\nso far',
  '# TYPE http_requests_total counter',
  'http_requests_total{method="GET",path="/a\\"b\\\\c\\nd"} 3',
  'http_requests_total 1e3',
  '',
  '# HELP latency_seconds Latency',
  '# TYPE latency_seconds histogram',
  'latency_seconds_bucket{le="0.1"} 1',
  'latency_seconds_bucket{le="+Inf"} 2',
  'latency_seconds_sum 0.55',
  'latency_seconds_count 2',
  '',
].join('\n');

describe('parseExposition', () => {
  it('reads families, escaped label values and help texts', () => {
    const families = parseExposition(valid, 'prometheus');
    expect([...families.keys()]).toEqual(['http_requests_total', 'latency_seconds']);
    expect(families.get('http_requests_total')?.help).toBe('Requests \\ served\nso far');
    expect(families.get('http_requests_total')?.samples[0]).toEqual({
      name: 'http_requests_total',
      labels: { method: 'GET', path: '/a"b\\c\nd' },
      value: 3,
    });
    expect(sampleValue(families, 'http_requests_total')).toBe(1000);
    expect(sampleValue(families, 'latency_seconds', 'latency_seconds_count')).toBe(2);
  });

  it('reads OpenMetrics with _total counters and # EOF', () => {
    const text =
      '# HELP jobs Jobs\n# TYPE jobs counter\njobs_total{queue="a"} 2\n# HELP t T\n# TYPE t gauge\nt NaN\n# EOF\n';
    const families = parseExposition(text, 'openmetrics');
    expect(sampleValue(families, 'jobs', 'jobs_total', { queue: 'a' })).toBe(2);
    expect(sampleValue(families, 't')).toBeNaN();
  });

  it.each([
    ['a sample outside its family', '# HELP a A\n# TYPE a gauge\nb 1\n'],
    ['a TYPE without HELP', '# TYPE a gauge\na 1\n'],
    ['a family twice', '# HELP a A\n# TYPE a gauge\n# HELP a A\n# TYPE a gauge\n'],
    ['a series twice', '# HELP a A\n# TYPE a gauge\na{x="1"} 1\na{x="1"} 2\n'],
    ['an unterminated label value', '# HELP a A\n# TYPE a gauge\na{x="1} 1\n'],
    ['a bad value', '# HELP a A\n# TYPE a gauge\na 1,5\n'],
    ['a missing final line feed', '# HELP a A\n# TYPE a gauge\na 1'],
    [
      'buckets that are not cumulative',
      '# HELP h H\n# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n',
    ],
    [
      'a +Inf bucket that differs from the count',
      '# HELP h H\n# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n',
    ],
  ])('rejects %s', (_name, text) => {
    expect(() => parseExposition(text, 'prometheus')).toThrow();
  });

  it('rejects OpenMetrics without # EOF, with blank lines or with counters lacking _total', () => {
    expect(() => parseExposition('# HELP a A\n# TYPE a gauge\na 1\n', 'openmetrics')).toThrow(
      /EOF/,
    );
    expect(() =>
      parseExposition('# HELP a A\n# TYPE a gauge\n\na 1\n# EOF\n', 'openmetrics'),
    ).toThrow(/blank/);
    expect(() =>
      parseExposition('# HELP a A\n# TYPE a counter\na 1\n# EOF\n', 'openmetrics'),
    ).toThrow(/belong/);
  });
});

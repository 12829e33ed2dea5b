import { describe, expect, it } from 'vitest';
import { barsOf, withCharts } from './charts.ts';

const table = [
  '| case | speed vs baseline (higher is better) | spread (IQR) | ns/op (indicative only) |',
  '| --- | ---: | ---: | ---: |',
  '| peer (baseline) | 1.00× | 3.0% | 1,000 |',
  '| Rampart, fast | 12.50× | 4.0% | 80 |',
  '| other peer | 0.50× | 2.0% | 2,000 |',
];

describe('charts beside comparison tables', () => {
  it('reads each row’s ratio and whose it is', () => {
    expect(barsOf(table)).toEqual([
      { label: 'peer (baseline)', ratio: 1, kind: 'baseline' },
      { label: 'Rampart, fast', ratio: 12.5, kind: 'rampart' },
      { label: 'other peer', ratio: 0.5, kind: 'peer' },
    ]);
  });

  it('ignores tables without ratios', () => {
    expect(barsOf(['| store | bytes |', '| --- | ---: |', '| a | 1 |'])).toBeUndefined();
  });

  it('adds one chart per comparison table, named after the section, and is idempotent', () => {
    const markdown = ['intro', '', '**first**', '', ...table, '', '**second**', '', ...table].join(
      '\n',
    );
    const once = withCharts('demo', markdown);
    expect([...once.charts.keys()]).toEqual(['demo-1.svg', 'demo-2.svg']);
    expect(once.markdown.match(/\(images\/bench\/demo-\d\.svg\)/g)).toEqual([
      '(images/bench/demo-1.svg)',
      '(images/bench/demo-2.svg)',
    ]);
    expect(once.charts.get('demo-1.svg')).toContain('<title>first</title>');
    expect(once.charts.get('demo-2.svg')).toContain('12.5×');
    expect(withCharts('demo', once.markdown).markdown).toBe(once.markdown);
  });
});

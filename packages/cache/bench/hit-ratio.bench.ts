/**
 * L1 hit ratios: W-TinyLFU (the L1 of @rampart/cache) against plain LRU of the same size on
 * Zipf-distributed traces, with and without a scan of one-off keys mixed in. Deterministic:
 * the traces come from a seeded generator. Run: `pnpm bench cache`.
 */
import { report } from '@rampart/bench-kit';
import { lruHitRatio, tinyLfuHitRatio, zipfWithScanTrace } from '../test-support/traces.ts';

const scenarios = [
  { keys: 10_000, exponent: 0.9, accesses: 200_000, scanLength: 50_000, capacity: 500 },
  { keys: 10_000, exponent: 0.9, accesses: 200_000, scanLength: 0, capacity: 500 },
  { keys: 100_000, exponent: 1.0, accesses: 500_000, scanLength: 100_000, capacity: 5_000 },
  { keys: 100_000, exponent: 0.7, accesses: 500_000, scanLength: 100_000, capacity: 5_000 },
];

const percent = (value: number): string => `${(value * 100).toFixed(1)} %`;
const rows = scenarios.map((scenario) => {
  const trace = zipfWithScanTrace({ ...scenario, seed: 42 });
  const lru = lruHitRatio(trace, scenario.capacity);
  const tinyLfu = tinyLfuHitRatio(trace, scenario.capacity);
  return [
    scenario.keys.toLocaleString('en-US'),
    String(scenario.exponent),
    scenario.scanLength === 0
      ? 'none'
      : `${scenario.scanLength.toLocaleString('en-US')} one-off keys`,
    scenario.capacity.toLocaleString('en-US'),
    percent(lru),
    percent(tinyLfu),
    `${(tinyLfu / lru).toFixed(2)}×`,
  ];
});

await report('cache.hit-ratio', {
  title: '@rampart/cache: L1 hit ratio, W-TinyLFU against LRU',
  rerun: 'pnpm bench cache',
})
  .text(
    'Hit ratios of the L1 eviction policy against plain LRU with the same number of entries, ' +
      'replaying seeded traces (insert on miss): Zipf-distributed accesses to popular keys, ' +
      'with a scan of never-repeated keys interleaved through the middle half where stated. ' +
      "The traces and the sketch's hash seed are fixed, so the numbers are the same on every machine.",
  )
  .table(
    ['popular keys', 'Zipf exponent', 'scan', 'cache entries', 'LRU', 'W-TinyLFU', 'ratio'],
    rows,
  )
  .write();

import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

describe('examples/hypercube', () => {
  it('rejects bad metrics, indexes 200,000 blocks, finds neighbours and exits on its own', async () => {
    const result = await runExample('hypercube');
    expect(result.timedOut).toBe(false);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      '"detail":"problemDifficulty must be a number from 0 to 1 (got 1.2); ' +
        'timeTaken must be a non-negative number up to 1e150 (got -4)"',
    );
    expect(result.stdout).toContain(
      'position: X=0.480 Y=0.450 Z=0.100 T=0.615 K=0.700 E=1.000 C=0.800 S=0.600',
    );
    expect(result.stdout).toContain('indexed 200,000 blocks');
    expect(result.stdout.match(/^similar block #\d+ at /gm)).toHaveLength(3);
    expect(result.stdout).toMatch(/^blocks meeting difficulty 4: [\d,]+ of 200,000$/m);
  });
});

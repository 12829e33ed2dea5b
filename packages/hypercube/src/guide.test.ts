import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type BlockMetrics,
  DIMENSIONS,
  distanceToCenter,
  hashToPoint,
  hyperDistanceTarget,
  meetsHyperDistance,
  position,
} from './index.ts';

const guide = readFileSync(new URL('../../../docs/hypercube.md', import.meta.url), 'utf8');

/** The JSON code block that follows `<!-- worked-example:<name> -->` in the guide. */
function block(name: string): unknown {
  const match = new RegExp(`<!-- worked-example:${name} -->\\s*\`\`\`json\\n([^]*?)\`\`\``).exec(
    guide,
  );
  if (match?.[1] === undefined) throw new Error(`the guide has no worked-example:${name} block`);
  return JSON.parse(match[1]);
}

/** Rounded to the 6 decimals the guide shows. */
const shown = (value: number): number => Math.round(value * 1e6) / 1e6;

describe('the worked example of docs/hypercube.md', () => {
  const metrics = block('metrics') as BlockMetrics;
  const point = position(metrics);

  it('computes the position the guide computed by hand', () => {
    expect(point.map(shown)).toEqual(block('position'));
  });

  it('shows the same values in its step-by-step table', () => {
    DIMENSIONS.forEach((axis, index) => {
      const row = new RegExp(`^\\| ${axis} +\\|[^|]+\\| ([0-9.]+) +\\|$`, 'm').exec(guide);
      expect(Number(row?.[1]), axis).toBe(shown(point[index] ?? Number.NaN));
    });
  });

  it('computes the hyper-distance the guide computed by hand', () => {
    const expected = block('hyper-distance') as {
      distanceToCenter: number;
      thresholds: Record<string, number>;
      meets: Record<string, boolean>;
    };
    expect(shown(distanceToCenter(point))).toBe(expected.distanceToCenter);
    for (const [difficulty, target] of Object.entries(expected.thresholds)) {
      expect(shown(hyperDistanceTarget(Number(difficulty)))).toBe(target);
      expect(meetsHyperDistance(point, Number(difficulty))).toBe(expected.meets[difficulty]);
    }
  });

  it('computes the variant and the hash of the prose', () => {
    const raw = position({ ...metrics, userComplexity: 250 });
    expect(guide).toContain(`log10(251) / 3 = ${shown(raw[2])}`);
    expect(guide).toContain(`jumps to about ${Math.round(distanceToCenter(raw) * 10) / 10}`);
    const x = hashToPoint('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')[0];
    expect(guide).toContain(`= ${shown(x)} is X`);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagrams } from '../scripts/diagrams/catalogue.ts';

describe('the guides’ diagrams', () => {
  it.each(Object.keys(diagrams))('docs/images/%s.svg is what scripts/diagrams.ts draws', (name) => {
    const committed = readFileSync(new URL(`../docs/images/${name}.svg`, import.meta.url), 'utf8');
    expect(committed).toBe(diagrams[name]?.());
  });

  it.each(Object.keys(diagrams))('%s is shown in a guide', (name) => {
    const guides = ['cache', 'circuit-breaker', 'composing-policies', 'redis'].map((guide) =>
      readFileSync(new URL(`../docs/${guide}.md`, import.meta.url), 'utf8'),
    );
    expect(guides.some((guide) => guide.includes(`(images/${name}.svg)`))).toBe(true);
  });
});

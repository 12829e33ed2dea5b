import { describe, expect, it } from 'vitest';
import { findSections, removeSection, replaceSection, sectionMarkers } from './sections.ts';

const intro = '# Benchmarks\n\nHand-written introduction.\n\n---\n';

function section(id: string, body: string): string {
  return `<!-- bench:${id}:start -->\n${body}\n<!-- bench:${id}:end -->`;
}

describe('replaceSection', () => {
  it('appends a new section after the hand-written part, which stays byte for byte', () => {
    const result = replaceSection(intro, 'retry', '## Retry\n\ntable');
    expect(result).toBe(`${intro}\n${section('retry', '## Retry\n\ntable')}\n`);
    expect(result.startsWith(intro)).toBe(true);
  });

  it('replaces an existing section in place and keeps what surrounds it', () => {
    const document = `${intro}\n${section('cache', 'old cache')}\n\nA note between.\n\n${section('retry', 'old retry')}\n\nTrailer.\n`;
    const result = replaceSection(document, 'cache', 'new cache');
    expect(result).toBe(
      `${intro}\n${section('cache', 'new cache')}\n\nA note between.\n\n${section('retry', 'old retry')}\n\nTrailer.\n`,
    );
  });

  it('never duplicates a section when run again', () => {
    const once = replaceSection(intro, 'retry', 'first run');
    const twice = replaceSection(once, 'retry', 'second run');
    expect(twice).toBe(replaceSection(intro, 'retry', 'second run'));
    expect(twice.match(/bench:retry:start/g)).toHaveLength(1);
  });

  it('inserts a new section before the first one whose id sorts after it', () => {
    const document = `${intro}\n${section('cache', 'c')}\n\n${section('retry', 'r')}\n`;
    const result = replaceSection(document, 'metrics', 'm');
    expect(findSections(result).map((found) => found.id)).toEqual(['cache', 'metrics', 'retry']);
    expect(result).toBe(
      `${intro}\n${section('cache', 'c')}\n\n${section('metrics', 'm')}\n\n${section('retry', 'r')}\n`,
    );
  });

  it('trims the body so reruns do not accumulate blank lines', () => {
    expect(replaceSection('', 'x', '\n\nbody\n\n')).toBe(`${section('x', 'body')}\n`);
  });

  it('refuses damaged markers instead of rewriting the file', () => {
    const unterminated = `${intro}<!-- bench:retry:start -->\nhalf a section\n`;
    expect(() => replaceSection(unterminated, 'cache', 'c')).toThrow(/"retry" has no end marker/);
    const duplicated = `${section('retry', 'a')}\n${section('retry', 'b')}\n`;
    expect(() => replaceSection(duplicated, 'retry', 'c')).toThrow(/more than once/);
    const stray = `${intro}<!-- bench:retry:end -->\n`;
    expect(() => replaceSection(stray, 'retry', 'c')).toThrow(/ends without having started/);
  });

  it('rejects ids that could break the markers', () => {
    expect(() => replaceSection(intro, 'a b', 'x')).toThrow(RangeError);
    expect(() => sectionMarkers('x:start -->')).toThrow(RangeError);
    expect(sectionMarkers('rate-limiter.gcra')).toEqual({
      start: '<!-- bench:rate-limiter.gcra:start -->',
      end: '<!-- bench:rate-limiter.gcra:end -->',
    });
  });
});

describe('removeSection', () => {
  it('removes the section and its separating blank line, keeping the rest', () => {
    const document = `${intro}\n${section('cache', 'c')}\n\n${section('retry', 'r')}\n`;
    expect(removeSection(document, 'cache')).toBe(`${intro}\n${section('retry', 'r')}\n`);
    expect(removeSection(removeSection(document, 'cache'), 'retry')).toBe(intro);
  });

  it('returns the document unchanged when the section is absent', () => {
    expect(removeSection(intro, 'retry')).toBe(intro);
  });
});

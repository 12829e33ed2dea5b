import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, htmlFiles, root } from './docs-site.ts';

/** Every local link of a page: `[target file, fragment]`, ignoring external and data URLs. */
function localLinks(page: string, html: string): [string, string | undefined][] {
  const links: [string, string | undefined][] = [];
  for (const match of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
    const link = (match[1] ?? '').replaceAll('&amp;', '&');
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(link)) continue;
    const [path = '', fragment] = link.split('#');
    links.push([path === '' ? page : resolve(dirname(page), decodeURIComponent(path)), fragment]);
  }
  return links;
}

describe('the documentation site', () => {
  let out: string;

  beforeAll(() => {
    out = buildSite();
  }, 120_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('has a page for every guide in docs/ (the front page is the index)', () => {
    const guides = readdirSync(join(root, 'docs')).filter(
      (name) => name.endsWith('.md') && name !== 'index.md',
    );
    for (const guide of guides) {
      expect(existsSync(join(out, 'documents', guide.replace(/\.md$/, '.html'))), guide).toBe(true);
    }
  });

  it('has no broken local links or anchors', () => {
    const pages = htmlFiles(out);
    const anchors = new Map<string, Set<string>>();
    const anchorsOf = (file: string): Set<string> => {
      let found = anchors.get(file);
      if (found === undefined) {
        const html = readFileSync(file, 'utf8');
        found = new Set(
          [...html.matchAll(/\b(?:id|name)="([^"]+)"/g)].map((match) => match[1] ?? ''),
        );
        anchors.set(file, found);
      }
      return found;
    };
    const broken: string[] = [];
    for (const page of pages) {
      for (const [target, fragment] of localLinks(page, readFileSync(page, 'utf8'))) {
        const where = relative(out, page);
        if (!existsSync(target)) broken.push(`${where} → ${relative(out, target)}`);
        else if (
          fragment &&
          target.endsWith('.html') &&
          !anchorsOf(target).has(decodeURIComponent(fragment))
        ) {
          broken.push(`${where} → ${relative(out, target)}#${fragment}`);
        }
      }
    }
    expect(pages.length).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });
});

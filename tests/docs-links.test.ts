import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;

function htmlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

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
    out = mkdtempSync(join(tmpdir(), 'rampart-docs-'));
    const build = spawnSync(
      join(root, 'node_modules/.bin/typedoc'),
      ['--options', 'typedoc.json', '--out', out],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`typedoc failed:\n${build.stdout}\n${build.stderr}`);
  }, 120_000);

  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });

  it('has a page for every guide in docs/', () => {
    const guides = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'));
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

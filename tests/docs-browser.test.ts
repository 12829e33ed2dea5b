/// <reference lib="dom" />
/**
 * Reads the documentation site in a real browser, as its readers do: every guide, the front
 * page and each package's API page, on a desktop (1280 px) and a phone (390 px), in the light
 * and the dark theme. Fails on what a reader would see as broken.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, launch, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, findChromium } from './docs-site.ts';

const chromium = findChromium();
if (chromium === undefined) {
  const message = 'docs browser suite: no Chromium found (set CHROMIUM_PATH or install chromium)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`SKIPPED: ${message}`);
}

/** Words about how the project is made, which readers should never meet in prose. */
const makingWords = /\b(?:issue|issue's|the seed|seed's|targets?)\b/i;

/** What one page shows that a reader would call broken; empty when nothing is. */
interface PageFindings {
  readonly overflow: string[];
  readonly rawReferences: string[];
  readonly unnamedThrows: number;
  readonly brokenImages: string[];
  readonly makingWords: string[];
}

/** Runs in the page: collects every defect the suite checks. */
function inspect(makingSource: string): PageFindings {
  const making = new RegExp(makingSource, 'i');
  const overflow: string[] = [];
  const root = document.scrollingElement ?? document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) {
    overflow.push(`page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
  }
  const column = document.querySelector('.col-content');
  if (column !== null && column.scrollWidth > column.clientWidth + 1) {
    const columnRight = column.getBoundingClientRect().right;
    const wide = [...column.querySelectorAll('*')].find(
      (element) => element.getBoundingClientRect().right > columnRight + 1,
    );
    overflow.push(
      `content column overflows (${column.scrollWidth} > ${column.clientWidth}px)` +
        (wide === undefined
          ? ''
          : ` at <${wide.tagName.toLowerCase()}> "${wide.textContent?.slice(0, 60)}"`),
    );
  }
  const main = column ?? document.body;
  const text = main.textContent ?? '';
  const rawReferences = [...text.matchAll(/@rampart\/[a-z-]+![\w.]+/g)].map((match) => match[0]);
  const unnamedThrows = [...document.querySelectorAll('.tsd-tag-throws')].filter((block) => {
    const body = [...block.children].filter((child) => child.tagName !== 'H4');
    return !body.some((child) => /\b(?:[A-Z]\w*)?Error\b/.test(child.textContent ?? ''));
  }).length;
  const brokenImages = [...document.images]
    .filter((image) => !image.complete || image.naturalWidth === 0)
    .map((image) => image.getAttribute('src') ?? '');
  // Prose only: code, identifiers and link targets may legitimately use these words.
  const prose: string[] = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    if (node.parentElement?.closest('code, pre, a, .tsd-signature, .tsd-signatures') != null) {
      continue;
    }
    const match = making.exec(node.textContent ?? '');
    if (match !== null) prose.push(`"${(node.textContent ?? '').trim().slice(0, 80)}"`);
  }
  return { overflow, rawReferences, unnamedThrows, brokenImages, makingWords: prose };
}

describe.runIf(chromium !== undefined)('the documentation site in a browser', () => {
  let out: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    out = buildSite();
    browser = await launch({
      executablePath: chromium ?? 'chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  });

  /** The front page, every guide and each package's API page. */
  function pages(): string[] {
    const documents = readdirSync(join(out, 'documents')).map((name) => `documents/${name}`);
    const modules = readdirSync(join(out, 'modules')).map((name) => `modules/${name}`);
    return ['index.html', ...documents, ...modules].filter((path) => path.endsWith('.html'));
  }

  it.each([
    { width: 1280, scheme: 'light' },
    { width: 390, scheme: 'dark' },
  ] as const)(
    'shows every page whole at $width px ($scheme)',
    async ({ width, scheme }) => {
      await page.setViewport({ width, height: 900 });
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const defects: string[] = [];
      const visited = pages();
      for (const path of visited) {
        await page.goto(pathToFileURL(join(out, path)).href, { waitUntil: 'load' });
        await page.waitForFunction(() => document.body.style.display !== 'none');
        const found = await page.evaluate(inspect, makingWords.source);
        for (const problem of found.overflow) defects.push(`${path}: ${problem}`);
        for (const reference of found.rawReferences) defects.push(`${path}: raw link ${reference}`);
        if (found.unnamedThrows > 0) {
          defects.push(`${path}: ${found.unnamedThrows} "Throws" without an error class`);
        }
        for (const image of found.brokenImages) defects.push(`${path}: broken image ${image}`);
        for (const words of found.makingWords) defects.push(`${path}: ${words}`);
      }
      expect(visited.length).toBeGreaterThan(20);
      expect(defects).toEqual([]);
    },
    300_000,
  );

  it.each([
    ['E_RATE_LIMITED', 'RateLimitedError'],
    ['half-open', 'circuit-breaker'],
    ['createCache', 'functions/_rampart_cache.createCache.html'],
  ])(
    'finds %s with the search box',
    async (query, expected) => {
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(pathToFileURL(join(out, 'index.html')).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.style.display !== 'none');
      await page.click('#tsd-search-trigger');
      await page.type('#tsd-search-input', query);
      await page.waitForFunction(
        () => document.querySelectorAll('#tsd-search-results li a').length > 0,
        { timeout: 10_000 },
      );
      const links = await page.$$eval('#tsd-search-results li a', (anchors) =>
        anchors.map((anchor) => anchor.getAttribute('href') ?? ''),
      );
      expect(
        links.some((link) => link.includes(expected)),
        links.join('\n'),
      ).toBe(true);
    },
    60_000,
  );
});

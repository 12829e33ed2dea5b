/**
 * The catalogue of docs/examples.md, generated from each example's package.json and files,
 * so the page lists every example with its run command and links to its sources. `pnpm run
 * docs` rewrites it; tests/docs.test.ts fails when it is stale.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

export const EXAMPLES_PAGE: URL = new URL('../docs/examples.md', import.meta.url);
const EXAMPLES = new URL('../examples/', import.meta.url);
const TREE = 'https://github.com/rampart-js/rampart/tree/main/examples';
const BLOB = 'https://github.com/rampart-js/rampart/blob/main/examples';
const START = '<!-- examples:start -->';
const END = '<!-- examples:end -->';

interface Manifest {
  readonly name: string;
  readonly description?: string;
  readonly scripts?: Readonly<Record<string, string>>;
}

/** The TypeScript files of an example, relative to its folder, sorted. */
function sourceFiles(name: string): string[] {
  return readdirSync(new URL(`${name}/`, EXAMPLES), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('node_modules'))
    .sort();
}

/** One section per example: what it shows, how to run it, and its files. */
export function renderExamples(): string {
  const names = readdirSync(EXAMPLES, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/package.json`, EXAMPLES)),
    )
    .map((entry) => entry.name)
    .sort();
  return names
    .map((name) => {
      const manifest = JSON.parse(
        readFileSync(new URL(`${name}/package.json`, EXAMPLES), 'utf8'),
      ) as Manifest;
      const run =
        manifest.scripts?.start === undefined
          ? 'Not run on its own: the examples above import it.'
          : `\`\`\`sh\npnpm --filter ${manifest.name} start\n\`\`\``;
      const readme = existsSync(new URL(`${name}/README.md`, EXAMPLES))
        ? ` · [README](${BLOB}/${name}/README.md)`
        : '';
      const files = sourceFiles(name)
        .map((file) => `[${file}](${BLOB}/${name}/${file})`)
        .join(' · ');
      return [
        `### ${name}`,
        '',
        manifest.description ?? '',
        '',
        run,
        '',
        `Sources: [the folder](${TREE}/${name})${readme} · ${files}`,
      ].join('\n');
    })
    .join('\n\n');
}

/** The page's text with the catalogue between its markers replaced by `catalogue`. */
export function withExamples(page: string, catalogue: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/examples.md lacks ${START} … ${END}`);
  return `${page.slice(0, start + START.length)}\n${catalogue}\n${page.slice(end)}`;
}

/** Rewrites the catalogue when it changed; true when it did. */
export function writeExamples(): boolean {
  const page = readFileSync(EXAMPLES_PAGE, 'utf8');
  const next = withExamples(page, renderExamples());
  if (next === page) return false;
  writeFileSync(EXAMPLES_PAGE, next);
  return true;
}

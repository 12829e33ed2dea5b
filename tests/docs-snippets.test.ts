/**
 * Every TypeScript code block in the guides and READMEs type-checks under `strict`,
 * with the tsconfig the getting-started guide gives users. A fragment that relies on names
 * it does not show declares them in a hidden prelude, an HTML comment right before it:
 *
 * ```md
 * <!-- prelude
 * declare const server: import('node:http').Server;
 * -->
 * ```
 *
 * Blocks that import each other (`./server.ts`) are named with a hidden `<!-- file: server.ts -->`
 * right before them (before the prelude, if any). Nothing is skipped: a block that is not
 * meant to compile is not tagged `ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root } from './docs-site.ts';

/** One `ts` block: where it is, its hidden prelude and its code. */
interface Snippet {
  readonly file: string;
  readonly line: number;
  /** The file name a block of the same page imports it by, if any. */
  readonly name: string | undefined;
  readonly prelude: string;
  readonly code: string;
}

/** The markdown files users read: guides, package READMEs and example READMEs. */
function markdownFiles(): string[] {
  const inFolder = (folder: string, pick: (name: string) => string | undefined): string[] =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .map((entry) => pick(entry.name))
      .filter((path): path is string => path !== undefined);
  return [
    ...inFolder('docs', (name) => (name.endsWith('.md') ? `docs/${name}` : undefined)),
    ...inFolder('packages', (name) => `packages/${name}/README.md`),
    ...inFolder('examples', (name) => `examples/${name}/README.md`),
  ].filter((path) => {
    try {
      readFileSync(join(root, path));
      return true;
    } catch {
      return false;
    }
  });
}

/** Every ```ts / ```typescript block of a markdown file, with the prelude before it. */
export function snippetsOf(file: string, text: string): Snippet[] {
  const snippets: Snippet[] = [];
  const fence =
    /(?:<!--\s*file:\s*(\S+)\s*-->\s*\n)?(?:<!--\s*prelude\n([\s\S]*?)-->\s*\n)?^```(?:ts|typescript)\s*\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(fence)) {
    const fenceAt = match.index + match[0].indexOf('```');
    const line = text.slice(0, fenceAt).split('\n').length;
    snippets.push({ file, line, name: match[1], prelude: match[2] ?? '', code: match[3] ?? '' });
  }
  return snippets;
}

const directory = join(root, 'tests/.doc-snippets');

describe('code in the documentation', () => {
  afterAll(() => {
    if (process.env.KEEP_SNIPPETS === undefined)
      rmSync(directory, { recursive: true, force: true });
  });

  it('type-checks every ts block under strict', () => {
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
    const snippets = markdownFiles().flatMap((file) =>
      snippetsOf(file, readFileSync(join(root, file), 'utf8')),
    );
    const origin = new Map<string, Snippet>();
    snippets.forEach((snippet, index) => {
      const page = snippet.file.replaceAll('/', '_').replace(/\.md$/, '');
      // Named blocks of one page share a folder, so their relative imports resolve.
      const name = snippet.name === undefined ? `${page}_${index}.ts` : join(page, snippet.name);
      mkdirSync(join(directory, dirname(name)), { recursive: true });
      origin.set(name, snippet);
      // The prelude goes after the code (declarations and imports apply to the whole
      // module), so line n of the file is line n of the block.
      writeFileSync(join(directory, name), `${snippet.code}\n${snippet.prelude}\nexport {};\n`);
    });
    writeFileSync(
      join(directory, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2023',
          module: 'nodenext',
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          types: ['node'],
          skipLibCheck: true,
          customConditions: ['@rampart/source'],
        },
        include: ['**/*.ts'],
      }),
    );
    const tsc = spawnSync(
      join(root, 'node_modules/.bin/tsc'),
      ['-p', directory, '--pretty', 'false'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    const errors = tsc.stdout
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => {
        const match = /^(?:.*\.doc-snippets\/)?([^(]+\.ts)\((\d+),\d+\): (.*)$/.exec(line);
        const snippet = match === null ? undefined : origin.get(match[1] ?? '');
        if (match === null || snippet === undefined) return line;
        const where = `${relative(root, join(root, snippet.file))}:${snippet.line + Number(match[2])}`;
        return `${where}: ${match[3]}`;
      });
    expect(snippets.length).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  }, 120_000);
});

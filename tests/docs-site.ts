/**
 * Builds the documentation site (`typedoc.json`, warnings are errors) into a temporary
 * directory for the suites that check it, and finds a Chromium for the browser suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const root: string = new URL('..', import.meta.url).pathname;

/** Builds the site into a new temporary directory and returns it; throws with typedoc's output. */
export function buildSite(): string {
  const out = mkdtempSync(join(tmpdir(), 'rampart-docs-'));
  const build = spawnSync(
    join(root, 'node_modules/.bin/typedoc'),
    ['--options', 'typedoc.json', '--out', out],
    { cwd: root, encoding: 'utf8' },
  );
  if (build.status !== 0) throw new Error(`typedoc failed:\n${build.stdout}\n${build.stderr}`);
  return out;
}

/** Every `.html` file below `directory`. */
export function htmlFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.html'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The Chromium to drive: `CHROMIUM_PATH`, else Debian's or a common install location. */
export function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ];
  return candidates.find((path) => path !== undefined && path !== '' && existsSync(path));
}

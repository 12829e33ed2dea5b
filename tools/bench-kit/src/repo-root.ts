import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The workspace root: the nearest directory at or above `from` that holds `pnpm-workspace.yaml`.
 *
 * @param from - Where to start looking. @default this bench kit's own directory, so the result
 *   does not depend on the current working directory.
 * @throws {Error} when no ancestor holds `pnpm-workspace.yaml`.
 */
export function findRepoRoot(from: string = import.meta.dirname): string {
  let directory = from;
  for (;;) {
    if (existsSync(join(directory, 'pnpm-workspace.yaml'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) {
      throw new Error(`no pnpm-workspace.yaml found in ${from} or any directory above it`);
    }
    directory = parent;
  }
}

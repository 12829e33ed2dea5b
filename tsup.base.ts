import type { Options } from 'tsup';

/**
 * The build every package shares: ESM for Node 22+, bundled `.d.ts`, source maps.
 * `entries` are the package's public entry points (`src/index.ts`, `src/redis.ts`, …).
 */
export function packageBuild(entries: readonly string[]): Options {
  return {
    entry: [...entries],
    format: ['esm'],
    target: 'node22',
    platform: 'node',
    dts: true,
    sourcemap: true,
    clean: true,
  };
}

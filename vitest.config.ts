import { existsSync, readdirSync } from 'node:fs';
import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Every package with sources gets its own vitest project, named after it. */
const packageNames = readdirSync(new URL('./packages', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`packages/${entry.name}/src`))
  .map((entry) => entry.name);

/** Resolve `@rampart/*` to their TypeScript sources so no test needs a prior build. */
const conditions = ['@rampart/source', ...defaultServerConditions];

const config: ViteUserConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@rampart/source'] } },
  test: {
    unstubEnvs: true,
    restoreMocks: true,
    projects: [
      ...packageNames.map((name) => ({
        extends: true as const,
        test: {
          name,
          root: `packages/${name}`,
          include: ['src/**/*.test.ts'],
          typecheck: {
            enabled: true,
            include: ['src/**/*.test-d.ts'],
            tsconfig: 'tsconfig.json',
          },
        },
      })),
      {
        extends: true as const,
        test: { name: 'bench-kit', root: 'tools/bench-kit', include: ['src/**/*.test.ts'] },
      },
      {
        extends: true as const,
        test: {
          name: 'integration',
          root: 'tests',
          include: ['**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          // Real Redis servers, clusters and child processes with deadlines: these suites run
          // after the unit tests and one file at a time, so a two-core machine is not
          // oversubscribed and a deadline measures the code, not the machine's load.
          sequence: { groupOrder: 1 },
          maxWorkers: 1,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

export default config;
